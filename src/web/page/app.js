// The volunteer search page. Everything typed is sent in POST bodies only: never in the
// URL, never stored in the browser. Results are built with DOM methods (no innerHTML),
// so catalog text can never inject markup.
"use strict";

const $ = (id) => document.getElementById(id);
const ZRM = [
  ["", "Kies hoe het gaat"],
  ["1", "1 – Acute problemen"],
  ["2", "2 – Lukt niet zelf"],
  ["3", "3 – Lukt deels zelf"],
  ["4", "4 – Lukt voldoende"],
  ["5", "5 – Lukt helemaal"],
];

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    cache: "no-store",
  });
  const data = await response.json();
  if (!response.ok) {
    throw new Error(data.fout || "Er ging iets mis.");
  }
  return data;
}

function option(select, value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  select.append(o);
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function status(text) {
  $("status").textContent = text;
}

async function init() {
  // Filters open on wide screens; on a phone they wait under their summary.
  const wide = window.matchMedia("(min-width: 40rem)");
  $("filters").open = wide.matches;
  wide.addEventListener("change", (e) => { $("filters").open = e.matches; });
  const info = await (await fetch("/api/info", { cache: "no-store" })).json();
  for (const g of info.gemeenten) {
    option($("filter-gemeente"), g, g);
    option($("gemeente"), g, g);
  }
  for (const l of info.leefgebieden) option($("filter-leefgebied"), l.key, l.label);
  for (const n of info.niveaus) option($("filter-niveau"), n.key, n.label);

  const onderwerpen = $("onderwerpen");
  for (let i = 1; i <= 3; i++) {
    const rij = el("div", null, "onderwerp");
    const a = el("div");
    const la = el("label", `Onderwerp ${i}`);
    la.htmlFor = `onderwerp-${i}`;
    const sa = el("select");
    sa.id = `onderwerp-${i}`;
    option(sa, "", "Geen");
    for (const l of info.leefgebieden) option(sa, l.key, l.label);
    a.append(la, sa);
    const b = el("div");
    const lb = el("label", `Hoe gaat het met onderwerp ${i}?`);
    lb.htmlFor = `score-${i}`;
    const sb = el("select");
    sb.id = `score-${i}`;
    for (const [v, t] of ZRM) option(sb, v, t);
    b.append(lb, sb);
    rij.append(a, b);
    onderwerpen.append(rij);
  }

  for (const s of info.signalen) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.value = s.key;
    box.name = "signaal";
    box.id = `signaal-${s.key}`;
    label.append(box, document.createTextNode(" " + s.label[0].toUpperCase() + s.label.slice(1)));
    $("signalen").append(label);
  }

  for (const range of document.querySelectorAll("input[type=range]")) {
    const out = $(`${range.id}-waarde`);
    range.addEventListener("input", () => { out.textContent = range.value; });
  }
}

// ---- Search as you type: suggestions first, then results. ----

let suggestTimer;
let searchTimer;
let searchSeq = 0;

function hideSuggestions() {
  $("suggesties").hidden = true;
  $("suggesties").replaceChildren();
}

async function suggest() {
  const prefix = $("zoekvraag").value.trim();
  if (prefix.length < 2) return hideSuggestions();
  try {
    const list = await post("/api/suggest", { prefix });
    const ul = $("suggesties");
    ul.replaceChildren();
    for (const s of list) {
      const li = el("li");
      const b = el("button", s.tekst);
      b.type = "button";
      b.addEventListener("click", () => {
        $("zoekvraag").value = s.tekst;
        hideSuggestions();
        search();
        $("zoekvraag").focus();
      });
      b.addEventListener("keydown", (e) => moveInList(e, b));
      li.append(b);
      ul.append(li);
    }
    ul.hidden = list.length === 0;
  } catch (_) {
    hideSuggestions();
  }
}

function moveInList(event, button) {
  const items = [...$("suggesties").querySelectorAll("button")];
  const i = items.indexOf(button);
  if (event.key === "ArrowDown" && i < items.length - 1) { items[i + 1].focus(); event.preventDefault(); }
  if (event.key === "ArrowUp") { (i > 0 ? items[i - 1] : $("zoekvraag")).focus(); event.preventDefault(); }
  if (event.key === "Escape") { hideSuggestions(); $("zoekvraag").focus(); }
}

async function search() {
  const query = $("zoekvraag").value.trim();
  if (!query) return;
  const seq = ++searchSeq;
  try {
    const data = await post("/api/search", {
      query,
      gemeente: $("filter-gemeente").value,
      niveau: $("filter-niveau").value || null,
      leefgebied: $("filter-leefgebied").value || null,
    });
    if (seq !== searchSeq) return;
    const advies = $("advies");
    if (data.waarschuwing) {
      // Crisis language in the query: the banner goes above everything.
      advies.replaceChildren(el("strong", data.waarschuwing));
      advies.className = "crisis";
      advies.hidden = false;
    } else {
      advies.hidden = true;
    }
    render(data.treffers);
    const count = `${data.treffers.length} ${data.treffers.length === 1 ? "resultaat" : "resultaten"} gevonden.`;
    if (data.melding) {
      status(data.melding);
      if (data.bedoelde_u.length) {
        const p = el("p", "Bedoelt u: ", "bedoelde");
        for (const woord of data.bedoelde_u) {
          const b = el("button", woord, "link");
          b.type = "button";
          b.addEventListener("click", () => {
            $("zoekvraag").value = woord;
            search();
          });
          p.append(b);
        }
        $("status").append(p);
      }
    } else if (data.begrepen.length) {
      status(`${count} Gezocht op: ${data.begrepen.join("; ")}.`);
    } else {
      status(count);
    }
  } catch (e) {
    status(e.message);
  }
}

// ---- The help request form. ----

async function match() {
  const leefgebieden = {};
  for (let i = 1; i <= 3; i++) {
    const key = $(`onderwerp-${i}`).value;
    const score = $(`score-${i}`).value;
    if (key && score) leefgebieden[key] = Number(score);
  }
  const leeftijd = $("leeftijd").value;
  const body = {
    leeftijd: leeftijd === "" ? null : Number(leeftijd),
    gemeente: $("gemeente").value,
    huishouden: $("huishouden").value || null,
    minima: $("minima").checked,
    kan_reizen: $("kan-reizen").checked,
    digitaal: $("digitaal").checked,
    signalen: [...document.querySelectorAll("input[name=signaal]:checked")].map((b) => b.value),
    leefgebieden,
    draagkracht: { mentaal: Number($("kracht-mentaal").value), netwerk: Number($("kracht-netwerk").value) },
    draaglast: { geldzorgen: Number($("last-geldzorgen").value), zorgtaken: Number($("last-zorgtaken").value) },
    text: $("omschrijving").value,
  };
  // A search still waiting or on its way must not replace the answer to this request.
  clearTimeout(searchTimer);
  const seq = ++searchSeq;
  try {
    const data = await post("/api/match", body);
    if (seq !== searchSeq) return;
    const advies = $("advies");
    advies.replaceChildren(el("strong", "Advies: "), document.createTextNode(data.advies), el("p", data.profiel, "hint"));
    advies.className = data.resultaten[0] && data.resultaten[0].crisis ? "crisis" : "";
    advies.hidden = false;
    render(data.resultaten);
    const n = data.resultaten.length;
    status(n === 0 ? "Geen passende hulp gevonden." : n === 1 ? "1 passende plek gevonden." : `${n} passende plekken gevonden.`);
  } catch (e) {
    status(e.message);
  }
  $("resultaten").focus();
}

// ---- Results. ----

/// Results shown before "Meer tonen".
const FIRST = 10;
let shown = [];

function link(href, text) {
  const a = el("a", text);
  a.href = href;
  return a;
}

/// Plain text of a result for an SMS, WhatsApp or e-mail: what it is, how to get there,
/// the next step. Nothing about the caller.
function plain(r) {
  const lines = [r.naam, r.niveau_label, r.beschrijving];
  if (r.bereikbaar_via) lines.push(r.bereikbaar_via);
  if (r.telefoon) lines.push(`Telefoon: ${r.telefoon}`);
  for (const t of r.telefoons || []) lines.push(`Telefoon: ${t}`);
  if (r.website) lines.push(`Website: ${r.website}`);
  if (r.email) lines.push(`E-mail: ${r.email}`);
  if (r.adres) lines.push(`Adres: ${r.adres}`);
  for (const l of r.locaties || []) lines.push(`Locatie: ${l}`);
  for (const o of r.openingstijden || []) lines.push(`Open: ${o}`);
  if (r.contact_onbekend) lines.push(r.contact_onbekend);
  lines.push(`Volgende stap: ${r.volgende_stap}`);
  return lines.filter(Boolean).join("\n");
}

async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    status(`${what} gekopieerd. Plak het in een sms, WhatsApp of e-mail.`);
  } catch (_) {
    status("Kopiëren lukte niet in deze browser; gebruik printen.");
  }
}

function render(items) {
  shown = items;
  const list = $("lijst");
  list.replaceChildren();
  items.forEach((r, i) => {
    const li = el("li", null, r.crisis ? "crisis" : "");
    if (i >= FIRST) li.hidden = true;
    li.append(el("h3", r.naam));
    li.append(el("span", r.crisis ? "Eerst bellen – " + r.niveau_label : r.niveau_label, "label"));
    li.append(el("p", r.beschrijving));
    const dl = el("dl");
    const row = (term, value) => {
      if (!value) return;
      const dd = el("dd");
      if (value instanceof Node) dd.append(value);
      else dd.textContent = value;
      dl.append(el("dt", term), dd);
    };
    const tel = (n) => link(`tel:${n.replace(/[^+0-9]/g, "")}`, n);
    row("Volgende stap", r.volgende_stap);
    row("Bereikbaar", r.bereikbaar_via);
    if (r.telefoon) row("Telefoon", tel(r.telefoon));
    for (const t of r.telefoons || []) {
      const number = t.split(" (")[0];
      const span = el("span");
      span.append(tel(number), document.createTextNode(t.slice(number.length)));
      row("Telefoon", span);
    }
    if (r.website && /^https?:\/\//.test(r.website)) row("Website", link(r.website, r.website));
    if (r.email) row("E-mail", link(`mailto:${r.email}`, r.email));
    row("Adres", r.adres);
    for (const l of r.locaties || []) row("Locatie", l);
    for (const o of r.openingstijden || []) row("Open", o);
    row("Contact", r.contact_onbekend);
    row("Organisatie", r.organisatie);
    row("Kosten", r.kosten);
    row("Voor", (r.gemeenten || []).join(", "));
    if (r.geverifieerd) row("Gecontroleerd", r.geverifieerd);
    li.append(dl);
    if (r.historisch) li.append(el("p", r.historisch, "wachtlijst"));
    if (r.beschikbaarheid) li.append(el("p", r.beschikbaarheid, "wachtlijst"));
    if (r.redenen && r.redenen.length) {
      const ul = el("ul", null, "redenen");
      for (const reden of r.redenen) ul.append(el("li", reden));
      li.append(el("p", "Waarom:"), ul);
    }
    const acties = el("div", null, "resultaat-acties no-print");
    const kopieer = el("button", "Kopieer");
    kopieer.type = "button";
    kopieer.className = "kopieer";
    kopieer.setAttribute("aria-label", `Kopieer ${r.naam}`);
    kopieer.addEventListener("click", () => copy(plain(r), r.naam));
    acties.append(kopieer);
    li.append(acties);
    list.append(li);
  });
  $("meer").hidden = items.length <= FIRST;
  $("printen").hidden = items.length === 0;
  $("kopieer-lijst").hidden = items.length === 0;
}

$("meer").addEventListener("click", () => {
  for (const li of $("lijst").children) li.hidden = false;
  $("meer").hidden = true;
});
$("kopieer-lijst").addEventListener("click", () => {
  const visible = shown.filter((_, i) => !$("lijst").children[i].hidden);
  copy(visible.map(plain).join("\n\n"), "De lijst");
});
document.addEventListener("keydown", (e) => {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName);
  if (e.key === "/" && !typing) {
    e.preventDefault();
    $("zoekvraag").focus();
  }
});

$("zoekformulier").addEventListener("submit", (e) => {
  e.preventDefault();
  hideSuggestions();
  search();
});
$("zoekvraag").addEventListener("input", () => {
  clearTimeout(suggestTimer);
  clearTimeout(searchTimer);
  suggestTimer = setTimeout(suggest, 120);
  searchTimer = setTimeout(search, 150);
});
$("zoekvraag").addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown") {
    const first = $("suggesties").querySelector("button");
    if (first) { first.focus(); e.preventDefault(); }
  }
  if (e.key === "Escape") {
    // Close the suggestions; keep what was typed (a search field clears on Escape).
    e.preventDefault();
    hideSuggestions();
  }
});
for (const id of ["filter-gemeente", "filter-leefgebied", "filter-niveau"]) {
  $(id).addEventListener("change", search);
}
$("hulpvraag").addEventListener("submit", (e) => {
  e.preventDefault();
  match();
});
$("printen").addEventListener("click", () => window.print());

init().catch(() => status("De pagina kon niet laden. Ververs de pagina."));
