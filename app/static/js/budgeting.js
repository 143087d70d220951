// Participatory budgeting ballot: a running total (the form works without this file;
// the server refuses an overspent ballot whatever the browser does).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.pb-ballot").forEach((form) => {
    const type = form.dataset.ballot;
    const budget = Number(form.dataset.budget || 0);
    const k = Number(form.dataset.k || 0);
    const points = Number(form.dataset.points || 0);
    const total = form.querySelector("[data-total]");
    const over = form.querySelector("[data-over]");
    const meter = form.querySelector("[data-meter]");
    const submit = form.querySelector("button[type=submit]");
    const money = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-GB" : "lt-LT",
      { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
    const update = () => {
      let value = 0;
      let limit = 0;
      if (type === "knapsack") {
        form.querySelectorAll("input[name=project]:checked").forEach((box) => { value += Number(box.dataset.cost); });
        limit = budget;
        if (total) total.textContent = money.format(value);
        if (meter) meter.value = Math.min(value, budget);
      } else if (type === "cumulative") {
        form.querySelectorAll("input[data-points]").forEach((input) => { value += Number(input.value || 0); });
        limit = points;
        if (total) total.textContent = String(value);
      } else if (type === "k_approval") {
        value = form.querySelectorAll("input[name=project]:checked").length;
        limit = k;
        if (total) total.textContent = String(value);
      } else if (type === "ranked") {
        // A place taken by one project is greyed out in the other lists.
        const selects = Array.from(form.querySelectorAll("select[name^='rank-']"));
        const taken = new Map(selects.filter((s) => s.value).map((s) => [s.value, s]));
        selects.forEach((select) => {
          Array.from(select.options).forEach((option) => {
            option.disabled = option.value !== "" && taken.has(option.value) && taken.get(option.value) !== select;
          });
        });
        return;
      } else {
        return;
      }
      const isOver = value > limit;
      if (over) over.hidden = !isOver;
      if (submit) submit.disabled = isOver;
      form.classList.toggle("pb-over", isOver);
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
});
