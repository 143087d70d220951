"""Plain-language names and descriptions of the rules (Lithuanian and English).

Kept in one place so that translators can review them together.
"""

from __future__ import annotations

TIE_LEXICO = {
    "lt": "Jei projektai surenka vienodai, laimi tas, kurio identifikatorius eina pirmesnis paprasta teksto "
    "tvarka (pvz., „10“ eina prieš „9“). Galima nurodyti ir kitą, iš anksto paskelbtą tvarką.",
    "en": "When projects are tied, the one whose id comes first in plain text order wins (e.g. \"10\" before "
    "\"9\"). Another published priority order can be given instead.",
}

TIE_NONE_KNAPSACK = {
    "lt": "Jei kelios projektų kombinacijos duoda tą pačią didžiausią naudą, grąžinama viena iš jų; "
    "lygybės taisyklė čia nenaudojama, kaip ir pabutools.",
    "en": "When several sets of projects reach the same maximum, one of them is returned; as in pabutools, "
    "no tie-breaking order is used.",
}

TIE_IRV = {
    "lt": "Jei keli kandidatai turi mažiausiai balsų, pašalinamas tas, kuris lygybės tvarkoje yra paskutinis "
    "(numatyta: identifikatorius, einantis paskutinis teksto tvarka).",
    "en": "When several candidates have the fewest votes, the one that comes last in the tie-breaking order "
    "is eliminated (by default: the id that comes last in text order).",
}

TIE_RANKING = {
    "lt": "Vienodai surinkusių kandidatų eiliškumą nustato lygybės tvarka (numatyta: identifikatorius, "
    "einantis pirmesnis teksto tvarka, laimi).",
    "en": "Candidates with equal results are ordered by the tie-breaking order (by default the id that comes "
    "first in text order wins).",
}

_MEASURE = {
    "cost": (
        "kiekvienas balsuotojas projektą vertina pagal jo kainą",
        "each voter values a project by its cost",
    ),
    "card": (
        "kiekvienas balsuotojas kiekvieną palaikytą projektą vertina vienodai",
        "each voter values every project they supported equally",
    ),
    "cardinal": (
        "balsuotojo nauda lygi jo projektui skirtiems taškams",
        "a voter's benefit is the points they gave the project",
    ),
    "borda": (
        "balsuotojo nauda pagal Bordos taškus: paskutinis jo sąraše gauna 0, priešpaskutinis 1 ir t. t.",
        "a voter's benefit is the Borda score: the last project on their list gets 0, the one before 1, and so on",
    ),
}


def greedy_texts(kind: str) -> tuple[dict[str, str], dict[str, str]]:
    if kind == "cost":
        return (
            {"lt": "Daugiausia balsų surinkę projektai", "en": "Most votes first"},
            {
                "lt": "Projektai surikiuojami pagal balsų skaičių, nuo daugiausia surinkusio. Einant šiuo sąrašu "
                "finansuojamas kiekvienas projektas, kuris dar telpa į likusį biudžetą; netelpantis praleidžiamas "
                "ir einama toliau. Taip skaičiuoja dauguma miestų.",
                "en": "Projects are ordered by number of votes, highest first. Going down the list, every project "
                "that still fits in the remaining budget is funded; one that does not fit is skipped and the count "
                "goes on. This is how most cities count.",
            },
        )
    if kind == "card":
        return (
            {"lt": "Daugiausia balsų už eurą", "en": "Most votes per euro"},
            {
                "lt": "Kaip ir įprastas skaičiavimas, tik projektai rikiuojami pagal balsų skaičių, padalytą iš "
                "projekto kainos, todėl pigesni populiarūs projektai eina pirmiau.",
                "en": "Like the usual count, but projects are ordered by votes divided by cost, so cheaper popular "
                "projects come first.",
            },
        )
    if kind == "points":
        return (
            {"lt": "Daugiausia taškų surinkę projektai", "en": "Most points first"},
            {
                "lt": "Projektai surikiuojami pagal surinktų taškų sumą, nuo didžiausios. Finansuojamas kiekvienas "
                "projektas, kuris dar telpa į likusį biudžetą; netelpantis praleidžiamas.",
                "en": "Projects are ordered by total points, highest first. Every project that still fits in the "
                "remaining budget is funded; one that does not fit is skipped.",
            },
        )
    if kind == "cardinal":
        return (
            {"lt": "Daugiausia taškų už eurą", "en": "Most points per euro"},
            {
                "lt": "Projektai rikiuojami pagal surinktus taškus, padalytus iš kainos; finansuojamas kiekvienas "
                "dar telpantis projektas.",
                "en": "Projects are ordered by total points divided by cost; every project that still fits is funded.",
            },
        )
    return (
        {"lt": "Daugiausia Bordos taškų už eurą", "en": "Most Borda points per euro"},
        {
            "lt": "Iš balsuotojų sąrašų skaičiuojami Bordos taškai (paskutinis sąraše gauna 0, priešpaskutinis 1 "
            "ir t. t.); projektai rikiuojami pagal taškus, padalytus iš kainos, ir finansuojamas kiekvienas dar "
            "telpantis projektas.",
            "en": "Borda points are counted from the voters' rankings (the last project on a list gets 0, the one "
            "before 1, and so on); projects are ordered by points divided by cost and every project that still "
            "fits is funded.",
        },
    )


def mes_texts(measure: str, add1: bool, greedy: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    lt_m, en_m = _MEASURE[measure]
    title_lt = "Lygių dalių metodas"
    title_en = "Method of Equal Shares"
    suffix_lt = {"cost": " (nauda pagal kainą)", "card": " (kiekvienas projektas po 1)", "cardinal": " (taškai)",
                 "borda": " (Bordos taškai)"}[measure]
    suffix_en = {"cost": " (cost utility)", "card": " (one per project)", "cardinal": " (points)",
                 "borda": " (Borda points)"}[measure]
    base_lt = (
        "Biudžetas lygiai padalijamas visiems balsuotojams. Projektą nuperka jį palaikę balsuotojai, "
        "kiekvienas mokėdamas lygią dalį (arba viską, kas jam liko). Kiekviename žingsnyje finansuojamas "
        "projektas, kurio rėmėjams vienam naudos vienetui tenka mokėti mažiausiai (ρ); tai kartojama, kol "
        f"nė vieno projekto rėmėjai nebeturi pakankamai pinigų. Čia {lt_m}."
    )
    base_en = (
        "The budget is split equally among all voters. A project is bought by the voters who supported it, each "
        "paying an equal share (or all they have left). Each step funds the project whose supporters pay the "
        "least per unit of benefit (ρ), until no project's supporters have enough money left. Here "
        f"{en_m}."
    )
    if add1:
        base_lt += (
            " Kadangi taip dažnai lieka nepanaudotų lėšų, skaičiavimas kartojamas kiekvienam balsuotojui "
            "pridedant po vieną pinigų vienetą, kol rezultatas išnaudoja biudžetą (kaip rekomenduoja "
            "equalshares.net); jei rezultatas viršytų biudžetą, grąžinamas ankstesnis."
        )
        base_en += (
            " Because this often leaves money unused, the count is repeated giving every voter one more unit of "
            "money each time, until the result uses up the budget (as equalshares.net recommends); if a result "
            "would overspend the budget, the previous one is kept."
        )
        title_lt += " su papildymu"
        title_en += " with Add1 completion"
    if greedy:
        base_lt += " Likusios lėšos paskirstomos įprastu būdu: daugiausia balsų surinkę dar telpantys projektai."
        base_en += " Any money still left goes to the projects with most votes that still fit, as in the usual count."
        title_lt += " ir balsų daugumos užbaigimu"
        title_en += " and greedy completion"
    return {"lt": title_lt + suffix_lt, "en": title_en + suffix_en}, {"lt": base_lt, "en": base_en}


def maxwelfare_texts(measure: str) -> tuple[dict[str, str], dict[str, str]]:
    what_lt = {
        "cost": "balsų ir kainos sandaugų sumą (t. y. kiek pinigų nukeliauja balsuotojų palaikytiems projektams)",
        "card": "bendrą palaikymų skaičių",
        "cardinal": "bendrą taškų sumą",
        "borda": "bendrą Bordos taškų sumą",
    }[measure]
    what_en = {
        "cost": "the sum of votes times cost (how much money goes to projects the voters supported)",
        "card": "the total number of approvals",
        "cardinal": "the total number of points",
        "borda": "the total Borda score",
    }[measure]
    return (
        {"lt": "Didžiausia bendra nauda", "en": "Maximum total welfare"},
        {
            "lt": f"Iš visų į biudžetą telpančių projektų rinkinių parenkamas tas, kuris turi didžiausią {what_lt}. "
            "Skaičiuojama tiksliai, peržiūrint visas galimybes (su apribojimais, kurie įrodomai nieko nepraleidžia).",
            "en": f"Among all sets of projects that fit in the budget, the one with the largest {what_en} is chosen. "
            "It is computed exactly, by a search that provably misses no better set.",
        },
    )


PHRAGMEN = (
    {"lt": "Nuoseklusis Phragméno metodas", "en": "Sequential Phragmén"},
    {
        "lt": "Balsuotojai tolygiai „kaupia“ pinigus. Kai kurio nors projekto rėmėjai kartu sukaupia jo kainą, "
        "projektas nuperkamas ir jų sąskaitos išnulinamos. Skaičiavimas sustoja, kai kitas nuperkamas "
        "projektas nebetelpa į biudžetą.",
        "en": "Voters earn money at the same steady rate. As soon as the supporters of a project together have "
        "its cost, it is bought and their accounts are emptied. The count stops when the next project to be "
        "bought no longer fits in the budget.",
    },
)
