// The printable pilot report: a button that opens the browser's print dialog
// (where "Save as PDF" is). Without JavaScript the page tells how to print instead.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
