// HelaMem's operator page: reads /dashboard/stats (the JSON of GET /v1/admin/stats, sent with the sign-in cookie)
// every few seconds and fills the tables. Text goes in through textContent only: tenant and host names are data.
"use strict";

const refreshMs = 3000;
const numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

function show(value) {
  return value === null || value === undefined ? "–" : numbers.format(value);
}

function time(value) {
  return value ? new Date(value).toLocaleTimeString("en-GB", { hour12: false }) : "–";
}

function cell(row, text, className, field) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  if (field) td.dataset.field = field;
  return td;
}

function renderSilos(silos) {
  const body = document.querySelector("#silos tbody");
  body.replaceChildren();
  for (const silo of silos) {
    const row = body.insertRow();
    row.dataset.silo = silo.address;
    cell(row, silo.address);
    cell(row, silo.name);
    cell(row, silo.host);
    const status = cell(row, "", null, "status");
    const badge = document.createElement("span");
    badge.className = silo.status === "Active" ? "badge active" : "badge";
    badge.textContent = silo.status;
    status.append(badge);
    cell(row, time(silo.startedAt));
    cell(row, time(silo.lastHeartbeatAt));
    cell(row, silo.lastReportAt ? time(silo.lastReportAt) : "not reporting", null, "lastReport");
    cell(row, show(silo.activations), "num", "activations");
    cell(row, show(silo.userGraphs), "num", "userGraphs");
  }
}

function renderTenants(tenants) {
  const body = document.querySelector("#tenants tbody");
  body.replaceChildren();
  if (tenants.length === 0) {
    const row = body.insertRow();
    const td = cell(row, "No tenants yet: create one with 'helamem tenants create NAME'.");
    td.colSpan = 10;
  }

  for (const t of tenants) {
    const row = body.insertRow();
    row.dataset.tenant = t.tenant;
    cell(row, t.tenant, null, "tenant");
    cell(row, show(t.owners), "num", "owners");
    cell(row, show(t.ingestsPerSecond), "num", "ingestsPerSecond");
    cell(row, show(t.searchesPerSecond), "num", "searchesPerSecond");
    cell(row, show(t.searchP50Ms), "num", "searchP50Ms");
    cell(row, show(t.searchP99Ms), "num", "searchP99Ms");
    cell(row, show(t.rateLimitRefusals), "num", "rateLimitRefusals");
    cell(row, `${show(t.inputTokens)} / ${show(t.outputTokens)}`, "num", "tokens");
    cell(row, show(t.consolidationRuns), "num", "consolidationRuns");
    cell(row, show(t.semanticItems), "num", "semanticItems");
    // The raw counts of the window, for tests and for a tooltip.
    row.dataset.ingests = t.ingests;
    row.dataset.searches = t.searches;
    row.title = `${t.ingests} ingests and ${t.searches} searches in the window`;
  }
}

function renderStorage(storage) {
  for (const [field, value] of Object.entries(storage)) {
    const dd = document.querySelector(`#storage [data-field="${field}"]`);
    if (dd) dd.textContent = show(value);
  }
}

async function refresh() {
  const problem = document.getElementById("problem");
  try {
    const response = await fetch("/dashboard/stats", { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) {
      // The sign-in expired (or the operator key changed): sign in again, then come back here.
      window.location.assign("/dashboard/login?returnUrl=%2Fdashboard%2F");
      return;
    }

    if (!response.ok) {
      const detail = await response.json().then(p => p.detail, () => response.statusText);
      throw new Error(`${response.status}: ${detail}`);
    }

    const stats = await response.json();
    renderSilos(stats.silos);
    renderTenants(stats.tenants);
    renderStorage(stats.storage);
    document.getElementById("window").textContent = `(last ${show(stats.windowSeconds)} s; owners, consolidation runs and semantic items: totals)`;
    document.getElementById("llm").textContent = stats.llm.note;
    document.getElementById("status").textContent = `Updated ${time(stats.generatedAt)}; refreshes every ${refreshMs / 1000} s.`;
    problem.hidden = true;
  } catch (error) {
    problem.textContent = `Could not refresh: ${error.message}`;
    problem.hidden = false;
  } finally {
    window.setTimeout(refresh, refreshMs);
  }
}

refresh();
