"use strict";
// An example host for eda-playground embeds: it drives one figure with buttons, sizes the
// other by its `resize` messages, and prints every message it receives. Only messages from
// the figures' own origin and window are read.
(function () {
  const driven = document.getElementById("driven");
  const resized = document.getElementById("resized");
  const events = document.getElementById("events");
  const moment = document.getElementById("moment");
  const appOrigin = new URL(driven.src, location.href).origin;
  const EVENTS_MAX = 200;

  function send(message) {
    message.version = 1;
    driven.contentWindow.postMessage(message, appOrigin);
  }

  document.getElementById("play").addEventListener("click", () => send({ type: "play" }));
  document.getElementById("pause").addEventListener("click", () => send({ type: "pause" }));
  document.getElementById("step").addEventListener("click", () => send({ type: "step" }));
  document.getElementById("seek").addEventListener("click", () => {
    const ms = Math.max(0, Math.round(Number(document.getElementById("seek-ms").value) || 0));
    send({ type: "seek", ms: ms });
  });
  document.getElementById("speed").addEventListener("change", (e) => {
    send({ type: "setSpeed", speed: Number(e.target.value) });
  });

  window.addEventListener("message", (e) => {
    if (e.origin !== appOrigin) return;
    const from = e.source === driven.contentWindow ? "playground"
      : e.source === resized.contentWindow ? "wordcount" : null;
    const data = e.data;
    if (!from || !data || typeof data !== "object") return;
    const kind = data.type || data.subject || "?";
    if (data.type === "resize" && from === "wordcount" && data.height > 0) {
      resized.style.height = data.height + "px";
    }
    if (data.type === "moment" && from === "playground") {
      moment.textContent = (data.ms / 1000).toFixed(3) + " s, " + (data.playing ? "playing" : "paused");
    }
    const li = document.createElement("li");
    li.dataset.from = from;
    li.dataset.type = kind;
    li.textContent = from + ": " + JSON.stringify(data);
    events.append(li);
    while (events.children.length > EVENTS_MAX) events.firstElementChild.remove();
    events.scrollTop = events.scrollHeight;
  });
})();
