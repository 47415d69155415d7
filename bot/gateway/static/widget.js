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
  /* Where the panel is full screen and covers the clinic's page: for the styles, and for the
     focus trap and aria-modal, which only apply then. */
  var COVERS_PAGE = "(max-width:600px)";
  var coversPage = window.matchMedia(COVERS_PAGE);

  function css(primary) {
    return ":host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','PingFang SC',sans-serif}" +
      ".launcher{position:fixed;right:20px;bottom:20px;min-width:56px;min-height:56px;padding:0 20px;border:0;border-radius:28px;background:" + primary + ";color:#fff;font-size:16px;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:2147483000}" +
      ".panel{position:fixed;right:20px;bottom:20px;width:380px;height:min(640px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;color:#1a1a1a;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);overflow:hidden;z-index:2147483001}" +
      ".panel[hidden],.launcher[hidden]{display:none}" +
      "header{background:" + primary + ";color:#fff;padding:8px;display:flex;flex-wrap:nowrap;gap:6px;align-items:center}" +
      /* The clinic's name wraps (on a phone, two short lines beside the tools), never cut. */
      "header h2{flex:1 1 auto;min-width:0;margin:0;font-size:16px;line-height:1.2;display:flex;align-items:center;gap:6px}" +
      "header h2 .name{min-width:0;overflow-wrap:break-word}" +
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
      ".unsent .user{border:2px dashed #1a1a1a}.tag{margin:6px 0 0;font-size:13px;font-weight:700}" +
      "form button[aria-disabled=true]{cursor:progress;opacity:.55}" +
      ".typing{font-size:14px;color:#4a5560;padding:4px 12px}.limit,.held{font-size:14px;color:#8a1c1c;padding:4px 12px}.limit[hidden],.held[hidden]{display:none}" +
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
      /* Full screen on a phone: a slimmer header, the call button's icon above its number,
         leave the clinic's name room for two lines. */
      "@media " + COVERS_PAGE + "{.panel{inset:0;width:auto;height:auto;border-radius:0}" +
      "header{gap:3px;padding:8px 4px}header h2{font-size:14px}header .tool{padding:0 6px}" +
      "header .call{flex-direction:column;padding:0 6px;font-size:13px;line-height:1.15}}" +
      "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important;scroll-behavior:auto!important}}";
  }

  /* Every interface text with what it says: a language change rewrites these in place
     (relabel), so the text box, with the parent's draft, caret and focus, is never rebuilt. */
  var labels = [];
  function label(node, attr, say) {
    labels.push({ node: node, attr: attr, say: say });
    return setLabel(labels[labels.length - 1]);
  }
  function setLabel(item) {
    var text = typeof item.say === "function" ? item.say() : t(item.say);
    if (item.attr === "text") item.node.textContent = text; else item.node.setAttribute(item.attr, text);
    return item.node;
  }
  function relabel() { labels.forEach(setLabel); showLimit(); }
  function other() { return state.lang === "en" ? "zh" : "en"; }

  function build() {
    root.textContent = "";
    root.appendChild(el("style", { text: css(config.theme.primary) }));
    ui.launcher = label(el("button", { class: "launcher", type: "button" }), "text", "open");
    ui.launcher.addEventListener("click", openAndFocus);
    ui.title = el("h2", { id: "carebot-title" }, [
      config.logo_url ? el("img", { src: config.logo_url, alt: "", height: "28", class: "logo" }) : null,
      label(el("span", { class: "name" }), "text", function () { return config.name[state.lang]; })]);
    /* One row on a phone: the call button shows the number; its name says what it does. */
    ui.call = label(el("a", { class: "call", href: telHref(config.phone_24h) },
      [el("span", { "aria-hidden": "true", text: "\u260E " }), document.createTextNode(config.phone_24h)]),
      "aria-label", function () { return t("call") + " " + config.phone_24h; });
    /* The accessible name contains the visible text ("Switch to Chinese 中文"), as WCAG 2.5.3 asks. */
    var otherName = el("span");
    label(otherName, "lang", other);
    ui.langSwitch = el("button", { class: "tool", type: "button" }, [
      label(el("span", { class: "sr-only" }), "text", function () { return t("switch_language") + " "; }),
      label(otherName, "text", function () { return other() === "zh" ? "中文" : "EN"; })]);
    ui.langSwitch.addEventListener("click", function () { state.langChosen = true; setLanguage(other()); });
    ui.menu = menu();
    ui.close = label(el("button", { class: "tool", type: "button", text: "✕" }), "aria-label", "close");
    ui.close.addEventListener("click", function () { setOpen(false); ui.launcher.focus(); });
    ui.log = label(el("div", { class: "log", role: "log", "aria-live": "polite", tabindex: "0" }), "aria-label", "conversation");
    ui.typing = label(el("div", { class: "typing", role: "status", hidden: "" }), "text", "typing");
    ui.held = label(el("div", { class: "held", role: "status", hidden: "" }), "text", "wait_for_answer");
    ui.input = label(el("textarea", { id: "carebot-input", rows: "1" }), "placeholder", "placeholder");
    ui.input.value = state.draft || "";
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
    });
    ui.limit = el("div", { class: "limit", role: "status", hidden: "" });
    ui.input.addEventListener("input", keepDraft);
    ui.send = label(el("button", { type: "submit", "aria-disabled": "false" }), "text", "send");
    var form = el("form", {}, [label(el("label", { for: "carebot-input" }), "text", "message_label"), ui.input, ui.send]);
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
    ui.panel = label(el("section", { class: "panel", role: "dialog", "aria-labelledby": "carebot-title", hidden: "" },
      [el("header", {}, [ui.title, ui.call, ui.langSwitch, ui.menu, ui.close]), ui.log, ui.typing, ui.held, ui.limit, form]),
      "lang", function () { return state.lang; });
    ui.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { setOpen(false); ui.launcher.focus(); }
      if (e.key === "Tab") keepFocusInside(e);
    });
    root.appendChild(ui.launcher);
    root.appendChild(ui.panel);
    if (coversPage.addEventListener) coversPage.addEventListener("change", markModal);  /* not before Safari 14 */
    markModal();
    showLimit();
    renderHistory();
    setOpen(state.open);
  }

  /* The interface's language, changed in place: nothing the parent is typing is touched. */
  function setLanguage(lang) {
    state.lang = lang; save(); relabel(); renderHistory();
  }

  /* While the panel covers the page (a phone), Tab and Shift+Tab go round inside it: the page
     behind it cannot be seen, so focus must not go there. Escape still closes it. */
  function keepFocusInside(e) {
    if (!coversPage.matches) return;
    var stops = Array.prototype.filter.call(ui.panel.querySelectorAll("a[href],button,textarea,summary,[tabindex]"),
      function (n) { return n.tabIndex >= 0 && n.getClientRects().length > 0; });
    var first = stops[0], last = stops[stops.length - 1], here = root.activeElement;
    if (here === (e.shiftKey ? first : last)) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    }
  }
  function markModal() { ui.panel.setAttribute("aria-modal", String(coversPage.matches)); }

  /* The draft is kept with the conversation: a reload, or a message that comes back to the box,
     never loses what the parent wrote. */
  function keepDraft() {
    state.draft = ui.input.value; save();
    showLimit();
  }

  /* The length the server counts (code points after NFKC, without the surrounding spaces): near
     the limit, say how much is left; over it, by how much, and that Send sends the first part
     and keeps the rest in the box. Nothing typed or pasted is ever cut off. */
  function showLimit() {
    var limit = config.max_message_chars, left = limit - measure(ui.input.value);
    ui.limit.hidden = !limit || left > LIMIT_WARNING_CHARS;
    ui.limit.textContent = left >= 0 ? t("chars_left").replace("{left}", left)
      : t("too_long").replace("{over}", -left).replace("{limit}", limit);
  }
  function measure(text) { return Array.from(text.trim().normalize("NFKC")).length; }

  /* Where the part of a message that fits ends: after the last sentence, else the last word,
     else the last whole character (an emoji or an accented letter is never split) at or under
     the limit. A boundary in the first half is not used: it would send a scrap. */
  var SENTENCE_END = /[.!?…]+["'”’)]*\s+|[。！？；]+[”’」』）]*\s*|\n+/g;
  function fittingPart(text) {
    var limit = config.max_message_chars;
    if (!limit || measure(text) <= limit) return text.length;
    var points = Array.from(text), keep = limit;
    while (measure(points.slice(0, keep).join("")) > limit) keep--;  /* NFKC lengthened it */
    var head = points.slice(0, keep).join(""), probe = text.slice(0, head.length + 1);
    var end = Math.min(lastEnd(probe, SENTENCE_END), head.length);
    if (end < head.length / 2) end = Math.min(lastEnd(probe, /\s+/g), head.length);
    return end < head.length / 2 ? wholeCharacters(text, head.length) : end;
  }
  function lastEnd(text, pattern) {
    var end = 0, match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text))) end = match.index + match[0].length;
    return end;
  }
  function wholeCharacters(text, end) {
    if (!window.Intl || !Intl.Segmenter) return end;
    var cut = 0;
    Array.from(new Intl.Segmenter().segment(text)).some(function (g) {
      if (g.index + g.segment.length > end) return true;
      cut = g.index + g.segment.length;
      return false;
    });
    return cut;
  }

  /* Text put in the box by the widget itself, which fires no "input" event. */
  function fillInput(text) {
    ui.input.value = text;
    keepDraft();
  }

  /* The menu: the family's data (see it, delete it) and Clear, which only empties this screen.
     Keys as in the WAI-ARIA menu button pattern: Enter, Space or ArrowDown on the button opens
     it on the first item, ArrowUp on the last; in it ArrowDown/ArrowUp go round, Home/End go
     to the first/last item, Escape closes it and goes back to the button, Tab closes it. */
  function menu() {
    var items = [["my_data", showMyData], ["delete_data", deleteMyData], ["clear", clearScreen]];
    var list = el("div", { class: "menu-list", role: "menu", hidden: "" });
    var toggle = label(el("button", { class: "tool", type: "button", "aria-haspopup": "menu", "aria-expanded": "false", text: "\u22EF" }),
      "aria-label", "menu");
    function close() { list.hidden = true; toggle.setAttribute("aria-expanded", "false"); }
    function open(at) {
      list.hidden = false; toggle.setAttribute("aria-expanded", "true");
      list.children[(at + list.children.length) % list.children.length].focus();
    }
    toggle.addEventListener("click", function () { if (list.hidden) open(0); else close(); });
    toggle.addEventListener("keydown", function (e) {
      var at = { ArrowDown: 0, ArrowUp: -1 }[e.key];
      if (at !== undefined) { e.preventDefault(); open(at); }
    });
    items.forEach(function (item) {
      var b = label(el("button", { type: "button", role: "menuitem", tabindex: "-1" }), "text", item[0]);
      b.addEventListener("click", function () { close(); item[1](); });
      list.appendChild(b);
    });
    list.addEventListener("keydown", function (e) {
      var here = Array.prototype.indexOf.call(list.children, root.activeElement);
      var to = { ArrowDown: here + 1, ArrowUp: here - 1, Home: 0, End: -1 }[e.key];
      if (to !== undefined) { e.preventDefault(); open(to); }
      if (e.key === "Escape") { e.stopPropagation(); close(); toggle.focus(); }
      if (e.key === "Tab") { close(); toggle.focus(); }  /* Tab then goes on from the button */
    });
    var wrapper = el("div", { class: "menu" }, [toggle, list]);
    /* A tap anywhere else closes it, as menus do (the shadow root is open: the path shows
       whether the tap was inside the menu, from the page's listener too). */
    document.addEventListener("pointerdown", function (e) {
      if (!list.hidden && e.composedPath().indexOf(wrapper) < 0) close();
    });
    return wrapper;
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
    if (entry.from === "user") return entry.unsent ? unsentMessage(entry) : el("div", { class: "msg user" }, [formatted(entry.text)]);
    if (entry.from === "notice") return notice(entry, entry.backInBox && submit);
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
    if (!saysNothingNew(entry)) card.appendChild(statusLine(entry));
    if (entry.status.handover) card.appendChild(handoverToggle(entry));
  }

  /* Still open, still "call now", and the reply itself said the alert could not be confirmed
     (meta.alerted false): the card already says to call, with its buttons; saying it twice
     reads as two different problems. */
  function saysNothingNew(entry) {
    return entry.status.status === "open" && entry.status.call_now && (entry.meta || {}).alerted === false;
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
     could (not) say, and Retry when a message did not go through (see unsent). */
  function notice(entry, retry) {
    var box = el("div", { class: "msg notice", role: "alert" }, [formatted(entry.text)]);
    var buttons = [{ title: t("call") + " " + config.phone_24h, payload: "tel:" + config.phone_24h },
                   { title: config.emergency_number, payload: "tel:" + config.emergency_number }];
    box.appendChild(actions(buttons));
    if (retry) {
      var again = el("button", { type: "button", class: "retry", text: t("retry") });
      again.addEventListener("click", retry);
      box.lastChild.appendChild(again);
    }
    return box;
  }

  /* A message kept in the conversation after it failed: marked "Not sent", with its own notice,
     whose Retry sends it again exactly as shown and takes this notice (and no other) away. */
  function unsentMessage(entry) {
    var bubble = el("div", { class: "msg user" }, [formatted(entry.text), el("p", { class: "tag", text: t("not_sent") })]);
    var box = el("div", { class: "unsent" }, [bubble]);
    box.appendChild(notice({ text: entry.unsent.text }, function () {
      if (held()) return;
      state.history.splice(state.history.indexOf(entry), 1); save(); box.remove();
      ask(entry.text, entry.unsent.message);
    }));
    return box;
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
  /* Send sends what the box shows. Over the limit, it sends the part that fits and leaves the
     rest in the box for the next message. Text that came back to the box after a failure is
     sent from there, edited or not, and its notice goes: that notice's Retry is this Send. */
  function submit() {
    var text = ui.input.value.trim();
    if (!text || held()) return;
    var end = fittingPart(text), part = text.slice(0, end).trim();
    var settled = state.history.filter(function (entry) { return !entry.backInBox; });
    if (settled.length < state.history.length) { state.history = settled; save(); renderHistory(); }
    fillInput(text.slice(end).trim());
    ask(part, part);
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

  /* One message at a time per conversation: answers come in order, and a failure is always
     that of the message shown with it. Meanwhile the parent can write the next one, but Send
     (a quick question, Retry) is held, with the reason shown; the call buttons stay usable. */
  var pending = false;
  function setPending(on) {
    pending = on;
    ui.send.setAttribute("aria-disabled", String(on));
    ui.typing.hidden = !on;
    if (!on) ui.held.hidden = true;
  }
  function held() {
    if (pending) ui.held.hidden = false;
    return pending;
  }

  function ask(shown, message) {
    if (held()) return;
    var sent = { from: "user", text: shown };
    push(sent);
    setPending(true);
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
    }).then(settle, settle);  /* whatever happened, Send is not held for ever */
    function settle() { clearTimeout(timer); setPending(false); }
  }

  /* A message that did not go through. Typed text goes back into the box if the box is empty:
     the box is then its only copy, and the notice's Retry sends the box as the parent left it
     (edited or not), like Send. Otherwise (the parent is writing another message, or it was a
     button's) it stays in the conversation as an unsent message with its own Retry. So what
     Retry sends is always what the parent sees, and a draft is never overwritten. */
  function unsent(sent, shown, message, why) {
    var text = (why ? why + "\n\n" : "") + offline();
    var at = state.history.indexOf(sent);
    if (shown === message && !ui.input.value.trim()) {
      if (at >= 0) state.history.splice(at, 1);
      save(); renderHistory(); fillInput(shown);
      push({ from: "notice", text: text, backInBox: true });
    } else {
      sent.unsent = { message: message, text: text };
      if (at < 0) state.history.push(sent);  /* the screen was cleared meanwhile */
      save(); renderHistory();
    }
  }

  /* The interface speaks the language the parent writes in, unless they chose one. */
  function followLanguage(meta) {
    if (state.langChosen || !meta || !meta.lang || meta.lang === state.lang) return;
    setLanguage(meta.lang);
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
