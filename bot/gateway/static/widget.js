/* carebot chat widget: one <script> tag, a Shadow DOM, no third-party requests.
   <script src="https://HOST/widget.js" data-clinic="demo" data-lang="zh" async></script>
   Every server string is rendered as text; the small formatting subset (paragraphs, lists,
   bold, http(s)/tel links) is built with DOM nodes, never innerHTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var BASE = new URL(script.src, location.href).origin;
  var CLINIC = script.getAttribute("data-clinic") || "demo";
  var STORE_KEY = "carebot:" + CLINIC;
  /* data-history="session" keeps the conversation only for this browser tab. */
  var STORAGE = script.getAttribute("data-history") === "session" ? window.sessionStorage : window.localStorage;
  var LIMIT_WARNING_CHARS = 100;  /* the letters left when the widget starts counting them */
  var config = null;
  var state = load();
  if (!state.lang) state.lang = script.getAttribute("data-lang") === "zh" ? "zh" : script.getAttribute("data-lang") === "en" ? "en"
    : (navigator.language || "").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";

  function load() {
    try { return JSON.parse(STORAGE.getItem(STORE_KEY)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { STORAGE.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function newSender() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "w-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  if (!state.sender) state.sender = newSender();
  if (!state.history) state.history = [];

  function t(key, lang) { return (config && config.strings[lang || state.lang][key]) || key; }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "class") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function telHref(number) { return "tel:" + String(number).replace(/[^0-9+]/g, ""); }

  /* --- safe formatting ------------------------------------------------------------- */
  var INLINE = /(\*\*[^*]+\*\*|https?:\/\/[^\s)]+|tel:\+?[0-9]+)/g;
  function inline(text) {
    var frag = document.createDocumentFragment();
    text.split(INLINE).forEach(function (part) {
      if (!part) return;
      if (/^\*\*[^*]+\*\*$/.test(part)) frag.appendChild(el("strong", { text: part.slice(2, -2) }));
      else if (/^https?:\/\//.test(part)) frag.appendChild(el("a", { href: part, text: part, target: "_blank", rel: "noopener noreferrer" }));
      else if (/^tel:/.test(part)) frag.appendChild(el("a", { href: part, text: part.slice(4) }));
      else frag.appendChild(document.createTextNode(part));
    });
    return frag;
  }
  function formatted(text) {
    var box = el("div", { class: "text" });
    String(text || "").split(/\n\s*\n/).forEach(function (block) {
      var lines = block.split("\n").filter(function (l) { return l.trim(); });
      if (!lines.length) return;
      var list = null, para = null;
      lines.forEach(function (line) {
        var item = /^\s*[-•]\s+(.*)$/.exec(line);
        if (item) {
          if (!list) { list = el("ul"); box.appendChild(list); para = null; }
          list.appendChild(el("li", {}, [inline(item[1])]));
        } else {
          if (!para) { para = el("p"); box.appendChild(para); list = null; } else para.appendChild(el("br"));
          para.appendChild(inline(line));
        }
      });
    });
    return box;
  }

  /* --- the interface ----------------------------------------------------------------- */
  var host = el("div", { id: "carebot-widget" });
  var root = host.attachShadow({ mode: "open" });
  var ui = {};

  function css(primary) {
    return ":host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','PingFang SC',sans-serif}" +
      ".launcher{position:fixed;right:20px;bottom:20px;min-width:56px;min-height:56px;padding:0 20px;border:0;border-radius:28px;background:" + primary + ";color:#fff;font-size:16px;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:2147483000}" +
      ".panel{position:fixed;right:20px;bottom:20px;width:380px;height:min(640px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;color:#1a1a1a;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);overflow:hidden;z-index:2147483001}" +
      ".panel[hidden],.launcher[hidden]{display:none}" +
      "@media (max-width:600px){.panel{inset:0;width:auto;height:auto;border-radius:0}}" +
      "header{background:" + primary + ";color:#fff;padding:8px;display:flex;flex-wrap:nowrap;gap:6px;align-items:center}" +
      "header h2{flex:1 1 auto;min-width:0;margin:0;font-size:16px;display:flex;align-items:center;gap:6px;overflow:hidden}" +
      "header h2 .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}" +
      "header a,header button{flex:none;min-height:44px;min-width:44px;padding:0 10px;border-radius:8px;font-size:15px;display:inline-flex;align-items:center;justify-content:center;text-decoration:none;cursor:pointer;white-space:nowrap}" +
      ".call{background:#fff;color:#8a1c1c;font-weight:700;border:0}" +
      ".tool{background:transparent;color:#fff;border:1px solid #fff}" +
      ".log{flex:1;overflow-y:auto;padding:12px;background:#f4f6f8}" +
      ".msg{max-width:88%;margin:8px 0;padding:10px 12px;border-radius:10px;line-height:1.45;font-size:16px;overflow-wrap:anywhere}" +
      ".user{margin-left:auto;background:" + primary + ";color:#fff}" +
      ".bot,.intro{background:#fff;border:1px solid #d0d5da}" +
      ".text p{margin:0 0 8px}.text p:last-child{margin-bottom:0}.text ul{margin:4px 0 8px;padding-left:20px}" +
      ".bot a{color:#0b4f8a}" +
      ".meta{margin-top:8px;font-size:13px;color:#4a5560}" +
      ".meta summary{cursor:pointer;min-height:24px}" +
      ".urgent{background:#fff4f4;border:2px solid #b3261e}" +
      ".urgent .label{font-weight:700;color:#8a1c1c;margin:0 0 6px}" +
      ".ack{margin-top:8px;padding-top:8px;border-top:1px solid #e0b4b4;font-weight:600}.ack.overdue p{color:#8a1c1c}" +
      ".actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}" +
      ".actions button,.actions a,.chips button{min-height:44px;padding:8px 14px;border-radius:22px;border:1px solid " + primary + ";background:#fff;color:#0b4f8a;font-size:15px;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center}" +
      ".actions a.tel{background:#b3261e;border-color:#b3261e;color:#fff;font-weight:700}" +
      ".chips{display:flex;flex-wrap:wrap;gap:8px;padding:8px 0}" +
      ".notice{background:#fff8e1;border:1px solid #8a6d00;color:#3d3000}" +
      ".typing{font-size:14px;color:#4a5560;padding:4px 12px}.limit{font-size:14px;color:#8a1c1c;padding:4px 12px}.limit[hidden]{display:none}" +
      ".privacy{background:#eef4fb;border:1px solid #0b4f8a}" +
      ".handover{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin-top:8px;padding:8px;background:#fff;border:1px solid #6b7680;border-radius:8px;font-size:15px}" +
      ".print-row{grid-column:1/-1}.print-frame{position:fixed;right:0;bottom:0;width:0;height:0;border:0;visibility:hidden}" +
      ".handover[hidden]{display:none}.handover h3{margin:0 0 4px;font-size:15px}.handover dl{margin:0}.handover dt{font-weight:700;margin-top:4px}.handover dd{margin:0}" +
      ".menu{position:relative}.menu-list{position:absolute;right:0;top:48px;display:flex;flex-direction:column;min-width:200px;background:#fff;border:1px solid #6b7680;border-radius:8px;box-shadow:0 4px 12px rgba(0,0,0,.25);z-index:2}" +
      ".menu-list[hidden]{display:none}.menu-list button{min-height:44px;padding:0 14px;border:0;background:#fff;color:#1a1a1a;text-align:left;font-size:15px;cursor:pointer}" +
      "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d5da;background:#fff}" +
      "form label,.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
      "textarea{flex:1;min-height:44px;max-height:120px;resize:none;padding:10px;font-size:16px;border:1px solid #6b7680;border-radius:8px}" +
      "form button{min-width:64px;min-height:44px;border:0;border-radius:8px;background:" + primary + ";color:#fff;font-size:16px;font-weight:600;cursor:pointer}" +
      ":focus-visible{outline:3px solid #f0b400;outline-offset:2px}" +
      "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important;scroll-behavior:auto!important}}";
  }

  function build() {
    root.textContent = "";
    root.appendChild(el("style", { text: css(config.theme.primary) }));
    ui.launcher = el("button", { class: "launcher", type: "button", text: t("open") });
    ui.launcher.addEventListener("click", openAndFocus);
    ui.title = el("h2", { id: "carebot-title" }, [
      config.logo_url ? el("img", { src: config.logo_url, alt: "", height: "28", class: "logo" }) : null,
      el("span", { class: "name", text: config.name[state.lang] })]);
    /* One row on a phone: the call button shows the number; its name says what it does. */
    ui.call = el("a", { class: "call", href: telHref(config.phone_24h), "aria-label": t("call") + " " + config.phone_24h },
      [el("span", { "aria-hidden": "true", text: "\u260E " }), document.createTextNode(config.phone_24h)]);
    /* The accessible name contains the visible text ("Switch to Chinese 中文"), as WCAG 2.5.3 asks. */
    ui.langSwitch = el("button", { class: "tool", type: "button" }, [
      el("span", { class: "sr-only", text: t("switch_language") + " " }),
      el("span", { lang: state.lang === "en" ? "zh" : "en", text: state.lang === "en" ? "中文" : "EN" })]);
    ui.langSwitch.addEventListener("click", function () {
      state.lang = state.lang === "en" ? "zh" : "en"; state.langChosen = true; save(); build(); openAndFocus();
    });
    ui.menu = menu();
    ui.close = el("button", { class: "tool", type: "button", "aria-label": t("close"), text: "✕" });
    ui.close.addEventListener("click", function () { setOpen(false); ui.launcher.focus(); });
    ui.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": t("conversation"), tabindex: "0" });
    ui.typing = el("div", { class: "typing", role: "status", hidden: "" , text: t("typing") });
    ui.input = el("textarea", { id: "carebot-input", rows: "1", placeholder: t("placeholder") });
    /* (a config cached before the limit was sent has none: the server still refuses more) */
    if (config.max_message_chars) ui.input.setAttribute("maxlength", String(config.max_message_chars));
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); submit(); }
    });
    ui.limit = el("div", { class: "limit", role: "status", hidden: "" });
    ui.input.addEventListener("input", showLimit);
    var send = el("button", { type: "submit", text: t("send") });
    var form = el("form", {}, [el("label", { for: "carebot-input", text: t("message_label") }), ui.input, send]);
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
    ui.panel = el("section", { class: "panel", role: "dialog", "aria-labelledby": "carebot-title", lang: state.lang, hidden: "" },
      [el("header", {}, [ui.title, ui.call, ui.langSwitch, ui.menu, ui.close]), ui.log, ui.typing, ui.limit, form]);
    ui.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { setOpen(false); ui.launcher.focus(); }
    });
    root.appendChild(ui.launcher);
    root.appendChild(ui.panel);
    renderHistory();
    setOpen(state.open);
  }

  /* Near the longest message the chat takes, say how much is left; at it, say so: the text box
     stops taking letters, and a parent pasting a long message must not lose its end unawares. */
  function showLimit() {
    var left = config.max_message_chars - ui.input.value.length;
    ui.limit.hidden = !config.max_message_chars || left > LIMIT_WARNING_CHARS;
    ui.limit.textContent = left > 0 ? t("chars_left").replace("{left}", left) : t("too_long");
  }

  /* Text put in the box by the widget itself, which fires no "input" event. */
  function fillInput(text) {
    ui.input.value = text;
    showLimit();
  }

  /* The menu: the family's data (see it, delete it) and Clear, which only empties this screen. */
  function menu() {
    var items = [["my_data", showMyData], ["delete_data", deleteMyData], ["clear", clearScreen]];
    var list = el("div", { class: "menu-list", role: "menu", hidden: "" });
    var toggle = el("button", { class: "tool", type: "button", "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": t("menu"), text: "\u22EF" });
    function close() { list.hidden = true; toggle.setAttribute("aria-expanded", "false"); }
    toggle.addEventListener("click", function () {
      list.hidden = !list.hidden; toggle.setAttribute("aria-expanded", String(!list.hidden));
      if (!list.hidden) list.firstChild.focus();
    });
    items.forEach(function (item) {
      var b = el("button", { type: "button", role: "menuitem", text: t(item[0]) });
      b.addEventListener("click", function () { close(); item[1](); });
      list.appendChild(b);
    });
    list.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.stopPropagation(); close(); toggle.focus(); } });
    return el("div", { class: "menu" }, [toggle, list]);
  }

  /* A new, empty conversation: after Clear, and once the server has forgotten the old one. */
  function startAfresh() {
    state.history = []; state.sender = newSender(); save(); renderHistory();
  }

  function clearScreen() {
    if (!window.confirm(t("clear_confirm"))) return;
    startAfresh(); ui.input.focus();
  }

  function conversationUrl() {
    return BASE + "/api/chat/conversations/" + encodeURIComponent(state.sender) + "?clinic=" + encodeURIComponent(CLINIC);
  }

  /* "What do you know about me": what the server stores for this conversation, and a download. */
  function showMyData() {
    fetch(conversationUrl()).then(function (r) {
      if (r.status === 404) return push({ from: "notice", text: t("nothing_stored") });
      if (!r.ok) throw new Error("status " + r.status);
      return r.json().then(function (stored) {
        var text = t("stored_summary").replace("{turns}", stored.turns.length).replace("{escalations}", stored.escalations.length)
          .replace("{days}", config.retention_days);
        var box = el("div", { class: "msg notice" }, [formatted(text)]);
        var file = new Blob([JSON.stringify(stored, null, 1)], { type: "application/json" });
        box.appendChild(el("div", { class: "actions" }, [el("a", { href: URL.createObjectURL(file), download: "conversation.json", text: t("download") })]));
        if (!state.history.length) ui.log.textContent = "";
        ui.log.appendChild(box);
        box.scrollIntoView({ block: "start" });
      });
    }).catch(function () { push({ from: "notice", text: offline() }); });
  }

  /* "Forget me": asks, deletes on the server, then here. */
  function deleteMyData() {
    if (!window.confirm(t("delete_confirm"))) return;
    fetch(conversationUrl(), { method: "DELETE" }).then(function (r) {
      if (r.status !== 204 && r.status !== 404) throw new Error("status " + r.status);
      startAfresh();
      push({ from: "notice", text: t("deleted") });
    }).catch(function () { push({ from: "notice", text: offline() }); });
  }

  /* Before the first message: what is stored, for how long, who reads it. */
  function privacyNotice() {
    var text = t("privacy").replace("{days}", config.retention_days);
    var ok = el("button", { type: "button", text: t("privacy_ok") });
    var links = [ok];
    if (config.privacy_url) links.unshift(el("a", { href: config.privacy_url, target: "_blank", rel: "noopener", text: t("privacy_link") }));
    var box = el("div", { class: "msg privacy", role: "note" }, [formatted(text), el("div", { class: "actions" }, links)]);
    ok.addEventListener("click", function () { state.privacySeen = true; save(); box.remove(); ui.input.focus(); });
    return box;
  }

  function setOpen(open) {
    state.open = !!open; save();
    ui.panel.hidden = !open;
    ui.launcher.hidden = !!open;
    if (open) { ui.log.scrollTop = ui.log.scrollHeight; }
  }
  function openAndFocus() { setOpen(true); ui.input.focus(); }

  function chips() {
    var box = el("div", { class: "chips", role: "group", "aria-label": t("suggestions") });
    (config.quick_replies[state.lang] || []).forEach(function (chip) {
      var b = el("button", { type: "button", text: chip.title });
      b.addEventListener("click", function () { ask(chip.title, chip.payload); });
      box.appendChild(b);
    });
    return box;
  }

  function renderHistory() {
    ui.log.textContent = "";
    if (!state.privacySeen) ui.log.appendChild(privacyNotice());
    if (!state.history.length) {
      ui.log.appendChild(el("div", { class: "msg intro" }, [formatted(t("welcome")), chips()]));
      return;
    }
    state.history.forEach(function (entry) { ui.log.appendChild(renderEntry(entry)); });
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function renderEntry(entry) {
    if (entry.from === "user") return el("div", { class: "msg user" }, [formatted(entry.text)]);
    if (entry.from === "notice") return notice(entry);
    var meta = entry.meta || {};
    // A "happening now?" question about a red flag carries first aid and call buttons (the
    // emergency number too for a life-threatening sign): it is as urgent as an escalation.
    var urgent = meta.kind === "escalation" || (meta.kind === "clarify" && hasCallButton(entry));
    var card = el("div", { class: "msg bot" + (urgent ? " urgent" : ""), lang: meta.lang || state.lang });
    // The card's label is in the reply's language; its call buttons come first, before any
    // words: a parent whose child is seizing should not have to scroll to reach them.
    if (urgent) card.appendChild(el("p", { class: "label", text: t("urgent", meta.lang) }));
    if (urgent) card.appendChild(actions(callButtons(entry)));
    (entry.messages || []).forEach(function (message) {
      card.appendChild(formatted(message.text));
      var rest = (message.buttons || []).filter(function (b) { return !urgent || String(b.payload || "").indexOf("tel:") !== 0; });
      if (rest.length) card.appendChild(actions(rest));
    });
    if (meta.kind === "answer" && meta.reviewed_on) card.appendChild(reviewed(meta));
    if (meta.escalation_id) {
      card.setAttribute("data-escalation", meta.escalation_id);
      appendStatus(card, entry);
    }
    return card;
  }

  /* The status line and the hand-over, redrawn in place at each poll (the rest of the card,
     and whether the hand-over is open, stay as they are). */
  function appendStatus(card, entry) {
    Array.prototype.slice.call(card.querySelectorAll(".ack,.handover-box")).forEach(function (n) { n.remove(); });
    if (!entry.status) return;
    card.appendChild(statusLine(entry));
    if (entry.status.handover) card.appendChild(handoverToggle(entry));
  }

  /* Did a nurse see it? The card of an escalation shows what the server says about it, and
     when nobody has confirmed in time, the call buttons again. */
  function statusLine(entry) {
    var line = el("div", { class: "ack" + (entry.status.call_now ? " overdue" : ""), role: "status", lang: entry.status.lang },
      [el("p", { text: entry.status.message })]);
    if (entry.status.call_now) line.appendChild(actions(callButtons(entry)));
    return line;
  }

  /* "Show to the nurse": the report in both languages side by side, for a call to a team that
     may not read the family's language. Labels come from each language's own strings. */
  function handoverToggle(entry) {
    var data = entry.status.handover;
    var card = el("section", { class: "handover", "aria-label": t("handover") });
    card.hidden = !entry.handoverOpen;
    ["en", "zh"].forEach(function (lang) {
      var side = data[lang];
      var rows = [[t("handover_at", lang), side.at], [t("handover_said", lang), data.said],
                  [t("handover_signs", lang), side.signs.join(", ")]];
      if (data.temperature_c) rows.push([t("handover_temperature", lang), data.temperature_c + " °C"]);
      var column = el("div", { class: "side", lang: lang }, [el("h3", { text: t("handover_title", lang) })]);
      var list = el("dl");
      rows.forEach(function (row) { list.appendChild(el("dt", { text: row[0] })); list.appendChild(el("dd", { text: row[1], lang: row[1] === data.said ? data.said_lang : lang })); });
      list.appendChild(el("dt", { text: t("handover_advice", lang) }));
      side.advice.forEach(function (line) { list.appendChild(el("dd", { text: line })); });
      column.appendChild(list);
      card.appendChild(column);
    });
    var print = el("button", { type: "button", class: "print", text: t("print") });
    print.addEventListener("click", function () { printHandover(card); });
    card.appendChild(el("div", { class: "actions print-row" }, [print]));
    var button = el("button", { type: "button", class: "show-handover", "aria-expanded": String(!card.hidden), text: t("handover") });
    button.addEventListener("click", function () {
      card.hidden = !card.hidden; entry.handoverOpen = !card.hidden; save();
      button.setAttribute("aria-expanded", String(!card.hidden));
      if (!card.hidden) card.scrollIntoView({ block: "start" });
    });
    return el("div", { class: "handover-box" }, [el("div", { class: "actions" }, [button]), card]);
  }

  var PRINT_CSS = "body{margin:0;font:15pt/1.5 system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;color:#000}" +
    ".handover{display:grid;grid-template-columns:1fr 1fr;gap:24px}h3{margin:0 0 8px;font-size:18pt}" +
    "dt{font-weight:700;margin-top:10px}dd{margin:0}.print-row{display:none}";

  /* Prints the hand-over card alone, from a hidden frame: the clinic's page is neither printed
     nor touched. */
  function printHandover(card) {
    if (ui.printFrame) ui.printFrame.remove();
    var frame = ui.printFrame = el("iframe", { class: "print-frame", title: t("handover"), "aria-hidden": "true", tabindex: "-1" });
    root.appendChild(frame);
    var doc = frame.contentDocument;
    doc.documentElement.lang = state.lang;
    doc.head.appendChild(doc.createElement("style")).textContent = PRINT_CSS;
    var copy = doc.importNode(card, true);
    copy.hidden = false;
    doc.body.appendChild(copy);
    frame.contentWindow.print();
  }

  function callButtons(entry) {
    var tel = [];
    (entry.messages || []).forEach(function (message) {
      (message.buttons || []).forEach(function (b) { if (String(b.payload || "").indexOf("tel:") === 0) tel.push(b); });
    });
    return tel.length ? tel : [{ title: t("call"), payload: "tel:" + config.phone_24h }];
  }

  var POLL_SECONDS = [1, 5, 10, 20, 30, 60];
  var DAY_MS = 24 * 3600 * 1000;

  function watch(entry, attempt) {
    var id = entry.meta.escalation_id;
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* old browser */ }
    setTimeout(function () {
      fetch(BASE + "/api/chat/escalations/" + encodeURIComponent(id) + "?sender=" + encodeURIComponent(state.sender) +
            (zone ? "&tz=" + encodeURIComponent(zone) : ""))
        .then(function (r) { if (r.status === 404) throw new Error("gone"); if (!r.ok) return null; return r.json(); })
        .then(function (status) {
          if (status) {
            entry.status = status; save();
            var card = ui.log.querySelector('[data-escalation="' + id + '"]');
            if (card) appendStatus(card, entry);
          }
          if (!status || status.status !== "resolved") watch(entry, attempt + 1);
        })
        .catch(function (e) { if (e.message !== "gone") watch(entry, attempt + 1); });
    }, POLL_SECONDS[Math.min(attempt, POLL_SECONDS.length - 1)] * 1000);
  }

  function watchOpenEscalations() {
    state.history.forEach(function (entry) {
      var meta = entry.meta || {};
      var fresh = !entry.at || Date.now() - entry.at < DAY_MS;
      if (meta.escalation_id && fresh && !(entry.status && entry.status.status === "resolved")) watch(entry, 0);
    });
  }

  /* Offline, rate-limited or unavailable: the numbers as call buttons, whatever the server
     could (not) say, and Retry for the message that did not go through (it is back in the box). */
  function notice(entry) {
    var box = el("div", { class: "msg notice", role: "alert" }, [formatted(entry.text)]);
    var buttons = [{ title: t("call") + " " + config.phone_24h, payload: "tel:" + config.phone_24h },
                   { title: config.emergency_number, payload: "tel:" + config.emergency_number }];
    box.appendChild(actions(buttons));
    if (entry.retry && state.history[state.history.length - 1] === entry) {
      var again = el("button", { type: "button", class: "retry", text: t("retry") });
      again.addEventListener("click", function () { retry(entry); });
      box.lastChild.appendChild(again);
    }
    return box;
  }

  function retry(entry) {
    state.history.pop(); save();
    ui.log.removeChild(ui.log.lastChild);
    fillInput("");
    ask(entry.retry.shown, entry.retry.message);
  }

  function hasCallButton(entry) {
    return (entry.messages || []).some(function (message) {
      return (message.buttons || []).some(function (b) { return String(b.payload || "").indexOf("tel:") === 0; });
    });
  }

  function actions(buttons) {
    var box = el("div", { class: "actions" });
    buttons.forEach(function (button) {
      var payload = String(button.payload || "");
      if (payload.indexOf("tel:") === 0) {
        box.appendChild(el("a", { class: "tel", href: telHref(payload.slice(4)), text: button.title }));
      } else {
        var b = el("button", { type: "button", text: button.title });
        b.addEventListener("click", function () { ask(button.title, payload); });
        box.appendChild(b);
      }
    });
    return box;
  }

  function reviewed(meta) {
    var day = new Date(meta.reviewed_on + "T00:00:00");
    var date = new Intl.DateTimeFormat(state.lang === "zh" ? "zh-CN" : "en-US", { year: "numeric", month: "long", day: "numeric" }).format(day);
    var details = el("details", { class: "meta" }, [el("summary", { text: t("reviewed") + " " + date + " · " + t("sources") })]);
    var list = el("ul");
    (meta.sources || []).forEach(function (s) { list.appendChild(el("li", { text: s })); });
    details.appendChild(list);
    return details;
  }

  /* --- talking to the gateway -------------------------------------------------------- */
  function submit() {
    var text = ui.input.value.trim();
    if (!text) return;
    fillInput("");
    ask(text, text);
  }

  function push(entry) {
    if (!state.history.length) Array.prototype.slice.call(ui.log.querySelectorAll(".intro")).forEach(function (n) { n.remove(); });
    state.history.push(entry); save();
    var node = ui.log.appendChild(renderEntry(entry));
    var question = node.previousElementSibling;
    if (entry.from === "user") { ui.log.scrollTop = ui.log.scrollHeight; return; }
    /* A long answer lands on its first line (the key action), not on its end. */
    var top = question && node.offsetTop + node.offsetHeight - question.offsetTop <= ui.log.clientHeight ? question : node;
    ui.log.scrollTop = Math.min(ui.log.scrollHeight, top.offsetTop - ui.log.offsetTop - 8);
  }

  function ask(shown, message) {
    var sent = { from: "user", text: shown };
    push(sent);
    ui.typing.hidden = false;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 30000);
    fetch(BASE + "/api/chat", {
      method: "POST", headers: { "Content-Type": "application/json" }, signal: controller.signal,
      body: JSON.stringify({ sender: state.sender, message: message, clinic: CLINIC, lang: state.lang })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) return unsent(sent, shown, message, result.body.error && result.body.error.message);
      if (message === "/confirm_forget") startAfresh();
      var entry = { from: "bot", messages: result.body.messages, meta: result.body.meta, at: Date.now() };
      followLanguage(entry.meta);
      push(entry);
      if (entry.meta && entry.meta.escalation_id) watch(entry, 0);
    }).catch(function () {
      unsent(sent, shown, message, null);
    }).then(function () { clearTimeout(timer); ui.typing.hidden = true; });
  }

  function unsent(sent, shown, message, why) {
    var at = state.history.indexOf(sent);
    if (at >= 0) { state.history.splice(at, 1); save(); renderHistory(); }
    if (shown === message) fillInput(shown);  /* typed text goes back in the box */
    push({ from: "notice", text: (why ? why + "\n\n" : "") + offline(), retry: { shown: shown, message: message } });
  }

  /* The interface speaks the language the parent writes in, unless they chose one. */
  function followLanguage(meta) {
    if (state.langChosen || !meta || !meta.lang || meta.lang === state.lang) return;
    state.lang = meta.lang; save(); build(); setOpen(true); ui.input.focus();
  }

  function offline() { return t("offline").replace("{phone}", config.phone_24h).replace("{emergency}", config.emergency_number); }

  /* Preview mode (the nurse console): <script src="/widget.js" data-clinic="demo" data-preview>
     exposes carebotPreview(container, text, lang, meta), which draws one answer card with this
     widget's own formatting and styles, so nurses see exactly what families will see. */
  function startPreview() {
    window.carebotPreview = function (container, text, lang, meta) {
      var shadow = container.shadowRoot || container.attachShadow({ mode: "open" });
      var primary = (config && config.theme.primary) || "#0b5fa5";
      state.lang = lang;
      shadow.textContent = "";
      shadow.appendChild(el("style", { text: css(primary) + ".log{padding:12px;border-radius:8px}" }));
      shadow.appendChild(el("div", { class: "log" }, [renderEntry({ from: "bot", messages: [{ text: text }], meta: meta })]));
    };
    fetch(BASE + "/api/clinics/" + encodeURIComponent(CLINIC) + "/widget-config")
      .then(function (r) { return r.json(); })
      .then(function (c) { config = c; document.dispatchEvent(new Event("carebot-preview-ready")); });
  }

  function start() {
    if (script.hasAttribute("data-preview")) return startPreview();
    /* Always asked afresh: a failure must show, so that the family is told the assistant is down. */
    fetch(BASE + "/api/clinics/" + encodeURIComponent(CLINIC) + "/widget-config", { cache: "no-cache" })
      .then(function (r) { if (!r.ok) throw new Error("config " + r.status); return r.json(); })
      .then(function (c) { config = state.config = c; save(); document.body.appendChild(host); build(); watchOpenEscalations(); })
      .catch(function (e) {
        if (!state.config) { if (window.console) console.warn("carebot widget:", e.message); return; }
        /* Offline on a later visit: the last known config still gives the family the number. */
        config = state.config; document.body.appendChild(host); build();
        push({ from: "notice", text: offline() });
      });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
