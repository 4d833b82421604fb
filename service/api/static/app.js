// Clausewise web page: upload, live status, links. Untrusted text only ever goes through textContent.
"use strict";
const $ = (id) => document.getElementById(id);
const notice = (msg, isError) => { const n = $("notice"); n.textContent = msg; n.className = isError ? "notice error" : "notice"; };

async function upload(file) {
  const form = new FormData();
  form.append("file", file);
  form.append("contract_type", $("ctype").value);
  notice("Uploading " + file.name + " …");
  try {
    const resp = await fetch("/v1/contracts", { method: "POST", body: form, credentials: "same-origin" });
    const body = await resp.json().catch(() => ({}));
    if (resp.status === 202) { notice(file.name + " accepted; the review is queued."); }
    else { notice(file.name + ": " + (body.message || resp.statusText) + " [" + (body.code || resp.status) + "]", true); }
  } catch (e) { notice("Upload failed: " + e, true); }
  refresh();
}

function cell(row, content) { const td = document.createElement("td"); if (content instanceof Node) td.appendChild(content); else td.textContent = content; row.appendChild(td); return td; }
function link(href, text) { const a = document.createElement("a"); a.href = href; a.textContent = text; return a; }

function statusCell(c) {
  const wrap = document.createElement("div");
  const badge = document.createElement("span");
  badge.className = "badge " + c.status; badge.textContent = c.status; wrap.appendChild(badge);
  if (c.status === "queued" || c.status === "running") {
    const bar = document.createElement("div"); bar.className = "bar-progress";
    const fill = document.createElement("span"); fill.style.width = Math.round(c.progress * 100) + "%";
    bar.appendChild(fill); wrap.appendChild(bar);
  }
  if (c.error) { const e = document.createElement("div"); e.className = "err"; e.textContent = c.error.message + " [" + c.error.code + "]"; wrap.appendChild(e); }
  return wrap;
}

function actions(c) {
  const span = document.createElement("span");
  if (c.report_urls) {
    const open = link(c.report_urls.html, "Open report"); open.target = "_blank"; open.rel = "noopener"; open.className = "open-report";
    span.append(open, link(c.report_urls.docx, "DOCX"), link(c.report_urls.json, "JSON"));
  }
  return span;
}

function deleteButton(c) {
  const b = document.createElement("button"); b.className = "danger"; b.textContent = "Delete";
  b.addEventListener("click", async () => {
    if (!confirm("Delete " + c.filename + " and its report? This cannot be undone.")) return;
    const r = await fetch("/v1/contracts/" + encodeURIComponent(c.id), { method: "DELETE", credentials: "same-origin" });
    notice(r.status === 204 ? c.filename + " deleted." : "Delete failed (" + r.status + ")", r.status !== 204);
    refresh();
  });
  return b;
}

async function refresh() {
  let data;
  try {
    const resp = await fetch("/v1/contracts?limit=100", { credentials: "same-origin" });
    if (resp.status === 401) { location.reload(); return; }
    data = await resp.json();
  } catch (e) { return; }
  const body = document.querySelector("#contracts tbody");
  body.replaceChildren();
  for (const c of data.items) {
    const row = document.createElement("tr"); row.dataset.id = c.id; row.dataset.status = c.status;
    cell(row, c.filename); cell(row, statusCell(c)); cell(row, c.pages == null ? "" : String(c.pages));
    cell(row, new Date(c.created_at * 1000).toLocaleString()); cell(row, actions(c)); cell(row, deleteButton(c));
    body.appendChild(row);
  }
  $("empty").hidden = data.items.length > 0;
}

function setup() {
  const drop = $("drop"), input = $("file");
  input.addEventListener("change", () => { for (const f of input.files) upload(f); input.value = ""; });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); for (const f of e.dataTransfer.files) upload(f); });
  refresh();
  setInterval(refresh, 2000);
}
document.addEventListener("DOMContentLoaded", setup);
