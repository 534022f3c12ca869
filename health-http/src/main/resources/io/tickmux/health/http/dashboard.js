"use strict";
const history = {};            // connection id -> recent message rates (sparkline)
const POINTS = 60;
const $ = id => document.getElementById(id);
const esc = s => String(s ?? "").replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c]));
const fmt = v => v === null || v === undefined ? "–" : v;

function spark(values) {
  const max = Math.max(1, ...values);
  const step = 300 / (POINTS - 1);
  const pts = values.map((v, i) => (i * step).toFixed(1) + "," + (46 - (v / max) * 44).toFixed(1)).join(" ");
  return `<svg viewBox="0 0 300 48" preserveAspectRatio="none"><polyline points="${pts}"/></svg>`;
}

function render(s) {
  $("connected").textContent = s.connected;
  $("total").textContent = s.total_connections;
  $("tickers").textContent = s.total_tickers;
  $("ticks").textContent = s.total_ticks;
  $("delivered").textContent = s.delivered_ticks;
  $("duplicates").textContent = s.duplicates_dropped;
  $("unwanted").textContent = s.unwanted_dropped;
  $("errors").textContent = s.total_errors;
  $("dropped").textContent = s.dropped_events;
  $("queue").textContent = s.queue_depth;
  if (s.backfill && s.backfill.enabled) {
    $("backfill").hidden = false;
    $("bf-filled").textContent = s.backfill.filled;
    $("bf-partly").textContent = s.backfill.partly_filled;
    $("bf-unfilled").textContent = s.backfill.unfilled;
  }
  if (s.ha) {
    $("ha").hidden = false;
    $("ha-role").textContent = s.ha.role;
    $("ha-holder").textContent = s.ha.holder || "none";
    $("ha-epoch").textContent = s.ha.epoch;
    const w = s.ha.last_switchover;
    $("ha-switch").textContent = w
      ? `${String(w.at).slice(11, 19)} ${w.from ?? "unknown"} (epoch ${w.from_epoch}) → ${w.to} (epoch ${w.to_epoch}), ${w.took_ms ?? "…"} ms`
      : "none";
  }
  if (s.post_needs_token) $("token").hidden = false;
  const cards = s.connections.map(c => {
    const h = history[c.id] = (history[c.id] || []).concat([c.message_rate]).slice(-POINTS);
    while (h.length < POINTS) h.unshift(0);
    return `<div class="card" id="card-${esc(c.id)}" data-id="${esc(c.id)}">
      <h2><span>${esc(c.name)} <small class="dim">${esc(c.id)}</small></span><span class="state ${esc(c.state)}">${esc(c.state)}</span></h2>
      ${spark(h)}
      <dl>
        <dt>tickers</dt><dd class="tickers">${c.tickers} (${c.subscribed_tickers} acked, ${c.pending_acks} pending)</dd>
        <dt>message rate</dt><dd class="rate">${c.message_rate} /s</dd>
        <dt>messages</dt><dd class="messages">${c.messages}</dd>
        <dt>last message</dt><dd>${c.last_message_age_ms < 0 ? "–" : c.last_message_age_ms + " ms ago"}</dd>
        <dt>lag p50 / p99</dt><dd>${fmt(c.lag_ms.p50)} / ${fmt(c.lag_ms.p99)} ms</dd>
        <dt>errors</dt><dd class="errors">${c.errors}</dd>
        <dt>reconnects</dt><dd class="reconnects">${c.reconnects}</dd>
        <dt>evictions</dt><dd>${c.evictions}</dd>
        <dt>last cause</dt><dd title="${esc(c.last_cause)}">${esc(String(c.last_cause).slice(0, 48))}</dd>
      </dl></div>`;
  });
  $("connections").innerHTML = cards.join("");
  $("events").innerHTML = s.recent.map(e =>
    `<li class="${esc(e.type)}"><span class="t">${esc(e.at.slice(11, 19))}</span>${esc(e.connection)} ${esc(e.text)}</li>`).join("");
}

// The stream is read with fetch, not EventSource, so it can carry the bearer token when the
// server protects reads (tickmux.http.protect-reads); it reconnects by itself.
let token = "";
let generation = 0;

function authHeaders() {
  return token ? { "Authorization": "Bearer " + token } : {};
}

function showToken(why) {
  $("token").hidden = false;
  $("conn").textContent = why;
}

function handleBlock(block) {
  let event = "message", data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data += line.slice(5).replace(/^ /, "");
  }
  if (event === "snapshot" && data) {
    $("conn").textContent = "live";
    render(JSON.parse(data));
  }
}

async function connect() {
  const mine = ++generation;
  try {
    const r = await fetch("/api/websocket/stream",
      { headers: Object.assign({ "Accept": "text/event-stream" }, authHeaders()), cache: "no-store" });
    if (r.status === 401) {
      showToken("token needed");
      return; // retried when a token is entered
    }
    if (!r.ok) throw new Error("HTTP " + r.status);
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    while (mine === generation) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        handleBlock(buf.slice(0, i));
        buf = buf.slice(i + 2);
      }
    }
    reader.cancel().catch(() => {});
  } catch (e) {
    // dropped or refused: try again
  }
  if (mine === generation) {
    $("conn").textContent = "reconnecting…";
    setTimeout(() => { if (mine === generation) connect(); }, 1000);
  }
}

$("token").addEventListener("change", () => {
  token = $("token").value;
  connect();
});

$("rebalance").addEventListener("click", async () => {
  const b = $("rebalance");
  b.disabled = true;
  $("result").textContent = "…";
  // application/json: a request only this page (same origin) can send; the token when set
  const headers = Object.assign({ "Content-Type": "application/json" }, authHeaders());
  try {
    const r = await fetch("/api/websocket/rebalance", { method: "POST", headers, body: "{}" });
    const body = await r.json();
    if (r.status === 401) showToken("token needed");
    $("result").textContent = r.ok ? `moved ${body.moved} tickers` : `error: ${body.error}`;
  } catch (e) {
    $("result").textContent = "error: " + e;
  } finally {
    b.disabled = false;
  }
});
connect();
