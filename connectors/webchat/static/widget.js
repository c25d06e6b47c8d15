// supportbot web chat widget. Plain JavaScript, no build step: the server
// prepends the UI strings and the limits (SB_STRINGS, SB_CONFIG) and serves
// it as /webchat/widget.js. Embed it on any site with one tag:
//
//   <script src="https://support.example.com/webchat/widget.js" defer
//           data-lang="en" data-user-id="123" data-user-hash="<hex HMAC>"></script>
//
// data-user-id/data-user-hash (or window.SupportbotSettings = {userId,
// userHash, name, lang}) identify a logged-in user; the hash is
// hex(HMAC-SHA256(identity_secret, user id)), computed on the operator's
// server. The widget lives in a shadow root so the host page's CSS cannot
// break it and its CSS cannot leak out.
//
// Safety: text from visitors is only ever set with textContent. Replies
// arrive as HTML that the server rendered from Markdown and sanitized
// (goldmark + bluemonday); links in them are forced to open in a new tab
// with rel="noopener noreferrer".
(function () {
  'use strict';
  if (window.__supportbotWidget) return;
  window.__supportbotWidget = true;

  var STRINGS = SB_STRINGS;
  var CONFIG = SB_CONFIG;
  var script = document.currentScript || document.querySelector('script[src*="/webchat/widget.js"]');
  var BASE = new URL(script.src, location.href).origin;
  var ds = script.dataset || {};
  var settings = Object.assign({}, window.SupportbotSettings || {});
  if (ds.lang) settings.lang = settings.lang || ds.lang;
  if (ds.userId) settings.userId = ds.userId;
  if (ds.userHash) settings.userHash = ds.userHash;
  if (ds.name) settings.name = ds.name;

  var KEY = 'supportbot:' + BASE;
  var OPEN_KEY = KEY + ':open';

  // ---- languages -------------------------------------------------------
  function normalizeLang(tag) {
    if (!tag) return '';
    var t = String(tag).replace(/_/g, '-').toLowerCase();
    if (['zh-hans', 'zh-cn', 'zh-sg', 'zh-hans-cn', 'zh', 'cn', 'zh-my'].indexOf(t) >= 0) return 'zh-Hans';
    if (['zh-hant', 'zh-tw', 'zh-hk', 'zh-mo', 'zh-hant-tw', 'zh-hant-hk', 'tw'].indexOf(t) >= 0) return 'zh-Hant';
    var p = t.split('-')[0];
    return CONFIG.languages.indexOf(p) >= 0 ? p : '';
  }
  function browserLang() {
    var ls = navigator.languages || [navigator.language];
    for (var i = 0; i < ls.length; i++) { var l = normalizeLang(ls[i]); if (l) return l; }
    return '';
  }

  // ---- state -----------------------------------------------------------
  function load() { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } }
  function save() { try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ } }
  var state = load(); // {token, visitorId, conversationId, verifiedUser, lang (explicit choice)}
  var replyLang = '';  // language of the last reply, followed when none was chosen
  var messages = {};   // seq -> message
  var order = [];      // seqs, ascending
  var pendingAtts = [];
  var streams = {};    // reply_to -> bubble element of a reply being written
  var typing = {};     // reply_to -> timer
  var ws = null, wsRetry = 1000, wsFor = '';
  var started = null;  // promise of the session

  function uiLang() {
    return state.lang || replyLang || normalizeLang(settings.lang) || browserLang() || 'en';
  }
  function t(key, args) {
    var s = (STRINGS[uiLang()] || {})[key] || STRINGS.en[key] || key;
    if (args) Object.keys(args).forEach(function (k) { s = s.split('{' + k + '}').join(args[k]); });
    return s;
  }
  function sizeText(n) {
    if (n >= 1048576) return (Math.round(n / 104857.6) / 10) + ' MB';
    return n >= 1024 ? Math.round(n / 1024) + ' KB' : n + ' B';
  }
  function clearError() { notice.hidden = true; }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // ---- DOM -------------------------------------------------------------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  var host = el('supportbot-chat', { id: 'supportbot-chat' });
  var root = host.attachShadow({ mode: 'open' });
  var css = el('link', { rel: 'stylesheet', href: BASE + '/webchat/widget.css' });
  css.addEventListener('load', function () { host.setAttribute('data-ready', ''); });
  root.appendChild(css);

  var launcher = el('button', { class: 'launcher', type: 'button', part: 'launcher', onclick: function () { toggle(); } });
  launcher.appendChild(svgIcon('chat'));
  var badge = el('span', { class: 'badge', hidden: '' });
  launcher.appendChild(badge);
  var unread = 0;
  function setUnread(n) {
    unread = n;
    badge.textContent = n > 9 ? '9+' : String(n);
    badge.hidden = n === 0;
  }
  var langSelect = el('select', { class: 'lang', onchange: function () { switchLang(langSelect.value, true); } });
  CONFIG.languages.forEach(function (l) { langSelect.appendChild(el('option', { value: l, text: CONFIG.languageNames[l] })); });
  var humanBtn = el('button', { class: 'human', type: 'button', onclick: function () { send({ command: 'human' }); } });
  var newBtn = el('button', { class: 'new', type: 'button', onclick: function () { newConversation(); } });
  var closeBtn = el('button', { class: 'close', type: 'button', onclick: function () { toggle(false); } });
  closeBtn.appendChild(svgIcon('close'));
  var titleEl = el('div', { class: 'title' });
  var subtitleEl = el('div', { class: 'subtitle' });
  var list = el('div', { class: 'messages', role: 'log', 'aria-live': 'polite' });
  var typingEl = el('div', { class: 'typing', hidden: '' }, [el('span'), el('span'), el('span')]);
  var notice = el('div', { class: 'notice', role: 'alert', hidden: '' });
  var chips = el('div', { class: 'chips' });
  var fileInput = el('input', { type: 'file', accept: CONFIG.attachmentTypes.join(','), hidden: '', onchange: onFiles });
  var attachBtn = el('button', { class: 'attach', type: 'button', onclick: function () { fileInput.click(); } });
  attachBtn.appendChild(svgIcon('clip'));
  var input = el('textarea', { class: 'input', rows: '1', maxlength: String(CONFIG.maxMessageBytes) });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  });
  var sendBtn = el('button', { class: 'send', type: 'submit' });
  sendBtn.appendChild(svgIcon('send'));
  var form = el('form', { class: 'composer', onsubmit: function (e) { e.preventDefault(); submit(); } },
    [attachBtn, fileInput, input, sendBtn]);
  var panel = el('section', { class: 'panel', part: 'panel', hidden: '' }, [
    el('header', { class: 'head' }, [el('div', { class: 'heading' }, [titleEl, subtitleEl]), langSelect, closeBtn]),
    el('div', { class: 'bar' }, [humanBtn, newBtn]),
    list, typingEl, notice, chips, form,
  ]);
  root.appendChild(panel);
  root.appendChild(launcher);

  function svgIcon(name) {
    var paths = {
      chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z',
      close: 'M6 6l12 12M18 6L6 18',
      send: 'M3 20l18-8L3 4v6l12 2-12 2z',
      clip: 'M16 6l-8 8a2.5 2.5 0 0 0 3.5 3.5l8-8a4.5 4.5 0 0 0-6.4-6.4l-8 8a6.5 6.5 0 0 0 9.2 9.2l6-6',
      up: 'M7 10v11H3V10zM7 10l4-8a2.5 2.5 0 0 1 3 3l-1 4h6a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 17.6 21H7',
      down: 'M17 14V3h4v11zM17 14l-4 8a2.5 2.5 0 0 1-3-3l1-4H5a2 2 0 0 1-2-2.3l1.4-7A2 2 0 0 1 6.4 3H17',
    };
    var ns = 'http://www.w3.org/2000/svg';
    var s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 24 24'); s.setAttribute('aria-hidden', 'true');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', paths[name]);
    s.appendChild(p);
    return s;
  }

  function applyStrings() {
    var l = uiLang();
    panel.setAttribute('lang', l);
    titleEl.textContent = t('chat_title');
    subtitleEl.textContent = t('chat_subtitle');
    humanBtn.textContent = t('human');
    newBtn.textContent = t('new_conversation');
    launcher.setAttribute('aria-label', t('open_chat'));
    closeBtn.setAttribute('aria-label', t('close_chat'));
    attachBtn.setAttribute('aria-label', t('attach'));
    attachBtn.title = t('attach_hint', { size: sizeText(CONFIG.maxAttachmentBytes) });
    sendBtn.setAttribute('aria-label', t('send'));
    input.placeholder = t('placeholder');
    input.setAttribute('aria-label', t('placeholder'));
    langSelect.setAttribute('aria-label', t('language'));
    langSelect.value = l;
    typingEl.setAttribute('aria-label', t('typing'));
    renderAll();
  }

  // ---- API -------------------------------------------------------------
  function api(method, path, body, extra) {
    var headers = { 'Accept': 'application/json' };
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    var opts = { method: method, headers: headers };
    if (body instanceof Blob) { opts.body = body; }
    else if (body !== undefined) { headers['Content-Type'] = 'application/json'; opts.body = JSON.stringify(body); }
    Object.assign(headers, (extra || {}).headers || {});
    return fetch(BASE + path, opts).then(function (res) {
      if (res.ok) return (extra && extra.raw) ? res : res.json();
      return res.json().catch(function () { return {}; }).then(function (j) {
        var err = new Error((j.error && j.error.message) || ('HTTP ' + res.status));
        err.code = (j.error && j.error.code) || 'internal';
        err.status = res.status;
        throw err;
      });
    });
  }

  function showError(err, fallbackKey) {
    var byCode = { too_large: 'error_too_large', rate_limited: 'error_rate', unavailable: 'error_unavailable' };
    var key = byCode[err && err.code] || fallbackKey || 'error_generic';
    if (err && err.code === 'unauthorized' && settings.userId) key = 'error_identity';
    var msg = t(key, { size: sizeText(CONFIG.maxAttachmentBytes) });
    if (err && err.code === 'invalid' && !fallbackKey && err.message) msg = err.message;
    notice.textContent = msg;
    notice.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(function () { notice.hidden = true; }, 8000);
  }

  // session makes sure there is a visitor token and a conversation,
  // resuming the stored one when it still belongs to this page's user.
  function session() {
    if (started) return started;
    var want = settings.userId || '';
    if ((state.verifiedUser || '') !== want) {
      state = { lang: state.lang }; // another user (or logged out): forget the old session
      save();
    }
    started = (state.token && state.conversationId ? loadHistory().catch(function (err) {
      if (err.status === 401) { state = { lang: state.lang }; save(); }
      if (err.status === 401 || err.status === 404) return startConversation();
      throw err;
    }) : startConversation()).then(function () { connectLive(); }, function (err) {
      started = null;
      throw err;
    });
    return started;
  }

  function startConversation() {
    var body = { hint_lang: normalizeLang(settings.lang) || browserLang() };
    if (state.lang) body.lang = state.lang;
    if (settings.userId) body.identity = { user_id: String(settings.userId), user_hash: String(settings.userHash || ''), name: settings.name || '' };
    return api('POST', '/api/v1/conversations', body).then(function (res) {
      if (res.token) state.token = res.token;
      state.visitorId = res.visitor.id;
      state.verifiedUser = res.visitor.verified ? res.visitor.user_id : '';
      state.conversationId = res.conversation.id;
      save();
      messages = {}; order = [];
      renderAll();
    });
  }

  // newConversation starts over, keeping the visitor (and so the list of
  // their conversations on the server).
  function newConversation() {
    session().then(function () { return startConversation(); }).then(function () {
      replyLang = '';
      applyStrings();
      connectLive();
      input.focus();
    }).catch(function (err) { showError(err); });
  }

  function loadHistory(after) {
    var q = after ? '?after=' + after : '';
    return api('GET', '/api/v1/conversations/' + encodeURIComponent(state.conversationId) + '/messages' + q).then(function (res) {
      res.messages.forEach(function (m) { upsert(m, true); });
      renderAll();
    });
  }

  // ---- live pushes (agent replies, other tabs) ---------------------------
  function connectLive() {
    if (!state.conversationId || !window.WebSocket) return;
    if (ws && wsFor === state.conversationId) return;
    if (ws) { try { ws.close(); } catch (e) { /* ignore */ } }
    wsFor = state.conversationId;
    var sock = new WebSocket(BASE.replace(/^http/, 'ws') + '/api/v1/live?conversation_id=' + encodeURIComponent(wsFor));
    ws = sock;
    sock.onopen = function () { sock.send(JSON.stringify({ token: state.token })); };
    sock.onmessage = function (e) {
      var ev; try { ev = JSON.parse(e.data); } catch (x) { return; }
      if (ev.type === 'ready') {
        wsRetry = 1000;
        var last = order.length ? order[order.length - 1] : 0;
        loadHistory(last).catch(function () { /* next reconnect catches up */ });
      } else if (ev.type === 'message') {
        // A reply that arrives while the chat is closed (an agent's
        // answer, hours later) shows as a badge on the launcher.
        if (panel.hidden && ev.message && ev.message.role !== 'user' && !messages[ev.message.seq]) setUnread(unread + 1);
        upsert(ev.message); renderAll();
      } else if (ev.type === 'typing') {
        showTyping(ev.reply_to);
      } else if (ev.type === 'done') {
        hideTyping(ev.reply_to);
      }
    };
    sock.onclose = function () {
      if (ws !== sock) return;
      ws = null;
      setTimeout(function () { if (!ws && state.conversationId) { wsFor = ''; connectLive(); } }, wsRetry);
      wsRetry = Math.min(wsRetry * 2, 30000);
    };
  }

  // Another tab started a new conversation: follow it.
  window.addEventListener('storage', function (e) {
    if (e.key !== KEY) return;
    var next = load();
    var changed = next.conversationId !== state.conversationId;
    state = next;
    if (changed && state.conversationId) {
      messages = {}; order = [];
      loadHistory().then(connectLive).catch(function () {});
    }
    applyStrings();
  });

  // ---- messages ----------------------------------------------------------
  function upsert(m, quiet) {
    if (!m || !m.seq) return;
    if (!messages[m.seq]) {
      order.push(m.seq);
      order.sort(function (a, b) { return a - b; });
    }
    messages[m.seq] = m;
    if (m.reply_to) { hideTyping(m.reply_to); delete streams[m.reply_to]; }
    if (m.role !== 'user' && m.lang && !state.lang && CONFIG.languages.indexOf(m.lang) >= 0 && m.lang !== replyLang) {
      replyLang = m.lang;
      if (!quiet) applyStrings();
    }
  }

  function showTyping(id) {
    clearTimeout(typing[id]);
    typing[id] = setTimeout(function () { hideTyping(id); }, 60000);
    typingEl.hidden = false;
    scrollDown();
  }
  function hideTyping(id) {
    clearTimeout(typing[id]);
    delete typing[id];
    typingEl.hidden = Object.keys(typing).length === 0;
  }

  function renderAll() {
    list.textContent = '';
    list.appendChild(el('div', { class: 'msg bot welcome' }, [el('div', { class: 'bubble', text: t('welcome') })]));
    order.forEach(function (seq) { list.appendChild(renderMessage(messages[seq])); });
    Object.keys(streams).forEach(function (k) { list.appendChild(streams[k].wrap); });
    pending.forEach(function (p) { list.appendChild(p.node); });
    scrollDown();
  }
  function scrollDown() { list.scrollTop = list.scrollHeight; }

  // safeLinks makes every link of server HTML open in a new tab without
  // giving the target a handle on this page.
  function safeLinks(node) {
    node.querySelectorAll('a').forEach(function (a) {
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener noreferrer');
    });
  }

  function renderMessage(m) {
    var wrap = el('div', { class: 'msg ' + m.role, 'data-seq': String(m.seq), 'data-id': m.id });
    if (m.role === 'agent') wrap.appendChild(el('div', { class: 'who', text: t('agent') }));
    var bubble = el('div', { class: 'bubble' });
    if (m.role === 'user') {
      if (m.command === 'human') bubble.textContent = t('human');
      else if (m.command === 'lang') bubble.textContent = t('language') + ': ' + (CONFIG.languageNames[m.text] || m.text);
      else bubble.textContent = m.text;
    } else {
      bubble.innerHTML = m.html || '';
      safeLinks(bubble);
    }
    wrap.appendChild(bubble);
    (m.attachments || []).forEach(function (a) { wrap.appendChild(renderAttachment(a)); });
    if (m.citations && m.citations.length) {
      var src = el('div', { class: 'sources' }, [el('span', { text: t('source') + ': ' })]);
      m.citations.forEach(function (c, i) {
        if (i) src.appendChild(document.createTextNode(' · '));
        src.appendChild(el('a', { class: 'citation', href: c.url, target: '_blank', rel: 'noopener noreferrer', text: c.title }));
      });
      wrap.appendChild(src);
    }
    if (m.role !== 'user') {
      var acts = renderActions(m);
      if (acts) wrap.appendChild(acts);
    }
    return wrap;
  }

  function renderAttachment(a) {
    var chip = el('div', { class: 'file' }, [el('span', { text: a.name + ' (' + sizeText(a.size) + ')' })]);
    if (/^image\//.test(a.content_type)) {
      api('GET', '/api/v1/conversations/' + encodeURIComponent(state.conversationId) + '/attachments/' + encodeURIComponent(a.id), undefined, { raw: true })
        .then(function (res) { return res.blob(); })
        .then(function (b) { chip.insertBefore(el('img', { src: URL.createObjectURL(b), alt: a.name }), chip.firstChild); })
        .catch(function () { /* the name is enough */ });
    }
    return chip;
  }

  function renderActions(m) {
    var box = el('div', { class: 'actions' });
    var kinds = (m.actions || []).map(function (a) { return a.kind; });
    var wantsFeedback = m.role === 'bot' && (m.decision === 'answer' || m.decision === 'clarify' ||
      kinds.indexOf('helpful') >= 0 || kinds.indexOf('not_helpful') >= 0);
    (m.actions || []).forEach(function (a) {
      if (a.kind === 'human') {
        box.appendChild(el('button', { type: 'button', class: 'chip', text: a.label || t('human'), onclick: function () { send({ command: 'human' }); } }));
      } else if (a.kind.indexOf('lang:') === 0) {
        var l = a.kind.slice(5);
        box.appendChild(el('button', { type: 'button', class: 'chip', text: a.label || CONFIG.languageNames[l] || l, onclick: function () { switchLang(l, true); } }));
      }
    });
    var stars = (m.actions || []).filter(function (a) { return /^csat:[1-5]$/.test(a.kind); });
    if (stars.length && m.ticket_id) {
      var rate = el('div', { class: 'csat' }, [el('div', { text: t('rate_ticket') })]);
      var row = el('div', { class: 'stars' });
      stars.forEach(function (a) {
        var n = Number(a.kind.slice(5));
        row.appendChild(el('button', { type: 'button', class: 'star', 'data-score': String(n), title: a.label || String(n), text: '★', onclick: function () {
          api('POST', '/api/v1/conversations/' + encodeURIComponent(state.conversationId) + '/csat', { ticket_id: m.ticket_id, score: n })
            .then(function () { rate.textContent = t('rated'); }, function (err) { showError(err); });
        } }));
      });
      rate.appendChild(row);
      box.appendChild(rate);
    }
    if (wantsFeedback) box.appendChild(renderFeedback(m));
    return box.childNodes.length ? box : null;
  }

  function renderFeedback(m) {
    var box = el('div', { class: 'feedback' });
    if (m.feedback) {
      box.appendChild(el('span', { class: 'thanks', text: t('feedback_thanks') }));
      return box;
    }
    var up = el('button', { type: 'button', class: 'fb up', title: t('helpful'), 'aria-label': t('helpful'), onclick: function () { rate(true, ''); } });
    up.appendChild(svgIcon('up'));
    var down = el('button', { type: 'button', class: 'fb down', title: t('not_helpful'), 'aria-label': t('not_helpful'), onclick: function () {
      // A "not helpful" is sent with the optional comment in one call: the
      // engine counts each call as a rating.
      var ta = el('textarea', { class: 'comment', rows: '2', maxlength: '2000', placeholder: t('feedback_comment'), 'aria-label': t('feedback_comment') });
      var go = el('button', { type: 'button', class: 'chip primary', text: t('feedback_send'), onclick: function () { rate(false, ta.value); } });
      box.textContent = '';
      box.appendChild(el('div', { class: 'comment-form' }, [ta, go]));
      ta.focus();
    } });
    down.appendChild(svgIcon('down'));
    box.appendChild(up);
    box.appendChild(down);
    function rate(helpful, comment) {
      box.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
      api('POST', '/api/v1/conversations/' + encodeURIComponent(state.conversationId) + '/feedback',
        { message_id: m.id, helpful: helpful, comment: comment || '' }).then(function (res) {
        m.feedback = { helpful: helpful, comment: comment };
        if (res.reply) upsert(res.reply);
        renderAll();
      }, function (err) {
        box.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
        showError(err);
      });
    }
    return box;
  }

  // ---- sending -----------------------------------------------------------
  var pending = []; // {id, node, body}: shown before the server logged them

  function submit() {
    var text = input.value.trim();
    if (!text && !pendingAtts.length) return;
    if (new TextEncoder().encode(text).length > CONFIG.maxMessageBytes) {
      showError({ code: 'too_large' }, 'error_too_large');
      notice.textContent = t('error_too_large', { size: CONFIG.maxMessageBytes + ' bytes' });
      return;
    }
    input.value = '';
    clearError();
    var atts = pendingAtts.map(function (a) { return a.id; });
    pendingAtts = []; renderChips();
    send({ text: text, attachments: atts });
  }

  function send(msg) {
    var body = { id: newId(), text: msg.text || '', hint_lang: normalizeLang(settings.lang) || browserLang() };
    if (msg.command) body.command = msg.command;
    if (msg.attachments && msg.attachments.length) body.attachments = msg.attachments;
    if (state.lang) body.lang = state.lang;
    var shown = msg.command === 'human' ? t('human') : msg.command === 'lang' ? t('language') + ': ' + (CONFIG.languageNames[msg.text] || msg.text) : body.text;
    var p = { id: body.id, node: el('div', { class: 'msg user pending' }, [el('div', { class: 'bubble', text: shown })]) };
    pending.push(p);
    toggle(true);
    renderAll();
    session().then(function () { return stream(body, p); }).catch(function (err) {
      pending = pending.filter(function (x) { return x !== p; });
      renderAll();
      showError(err);
    });
  }

  // stream posts a message and reads the reply as server-sent events.
  function stream(body, p) {
    var path = '/api/v1/conversations/' + encodeURIComponent(state.conversationId) + '/messages';
    return api('POST', path, body, { raw: true, headers: { Accept: 'text/event-stream' } }).then(function (res) {
      var reader = res.body.getReader();
      var dec = new TextDecoder();
      var buf = '';
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return;
          buf += dec.decode(r.value, { stream: true });
          var i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            handleSSE(buf.slice(0, i), p);
            buf = buf.slice(i + 2);
          }
          return pump();
        });
      }
      return pump();
    }).then(function () {
      pending = pending.filter(function (x) { return x !== p; });
      renderAll();
    });
  }

  function handleSSE(block, p) {
    var data = '';
    block.split('\n').forEach(function (line) { if (line.indexOf('data: ') === 0) data += line.slice(6); });
    if (!data) return;
    var ev = JSON.parse(data);
    if (ev.type === 'message') {
      if (ev.message.role === 'user') pending = pending.filter(function (x) { return x !== p; });
      upsert(ev.message);
      renderAll();
    } else if (ev.type === 'typing') {
      showTyping(ev.reply_to);
    } else if (ev.type === 'delta') {
      hideTyping(ev.reply_to);
      var s = streams[ev.reply_to];
      if (!s) {
        s = { bubble: el('div', { class: 'bubble' }) };
        s.wrap = el('div', { class: 'msg bot streaming' }, [s.bubble]);
        streams[ev.reply_to] = s;
        list.appendChild(s.wrap);
      }
      s.bubble.innerHTML = ev.html || '';
      safeLinks(s.bubble);
      scrollDown();
    } else if (ev.type === 'done') {
      hideTyping(ev.reply_to);
    } else if (ev.type === 'error') {
      pending = pending.filter(function (x) { return x !== p; });
      Object.keys(typing).forEach(hideTyping);
      renderAll();
      var err = new Error(ev.error.message); err.code = ev.error.code;
      showError(err);
    }
  }

  // ---- attachments -------------------------------------------------------
  function onFiles() {
    var files = Array.prototype.slice.call(fileInput.files || []);
    fileInput.value = '';
    files.forEach(function (f) {
      if (f.size > CONFIG.maxAttachmentBytes) { showError({ code: 'too_large' }); return; }
      if (pendingAtts.length >= CONFIG.maxAttachments) { showError({ code: 'too_large' }); return; }
      session().then(function () {
        return api('POST', '/api/v1/conversations/' + encodeURIComponent(state.conversationId) +
          '/attachments?name=' + encodeURIComponent(f.name), f);
      }).then(function (info) {
        clearError();
        pendingAtts.push(info); renderChips();
      }, function (err) { showError(err, err.code === 'invalid' ? 'error_type' : null); });
    });
  }
  function renderChips() {
    chips.textContent = '';
    pendingAtts.forEach(function (a) {
      chips.appendChild(el('span', { class: 'chip file-chip' }, [
        el('span', { text: a.name + ' (' + sizeText(a.size) + ')' }),
        el('button', { type: 'button', class: 'remove', 'aria-label': t('remove'), text: '×', onclick: function () {
          pendingAtts = pendingAtts.filter(function (x) { return x !== a; }); renderChips();
        } }),
      ]));
    });
  }

  // ---- open/close, language ------------------------------------------------
  function toggle(open) {
    var show = open === undefined ? panel.hidden : open;
    panel.hidden = !show;
    launcher.hidden = show;
    // Per tab: a reload keeps the chat open, a new tab starts closed.
    try { sessionStorage.setItem(OPEN_KEY, show ? '1' : ''); } catch (e) { /* ignore */ }
    if (show) {
      setUnread(0);
      session().catch(function (err) { showError(err); });
      setTimeout(function () { input.focus(); }, 0);
    }
  }

  function switchLang(l, tell) {
    if (CONFIG.languages.indexOf(l) < 0) return;
    state.lang = l;
    save();
    applyStrings();
    if (tell) send({ command: 'lang', text: l });
  }

  window.Supportbot = {
    open: function () { toggle(true); },
    close: function () { toggle(false); },
    setLanguage: function (l) { switchLang(normalizeLang(l), false); },
  };

  function mount() {
    document.body.appendChild(host);
    applyStrings();
    var wasOpen = false;
    try { wasOpen = sessionStorage.getItem(OPEN_KEY) === '1'; } catch (e) { /* ignore */ }
    if (wasOpen || ds.open === 'true') toggle(true);
    // A returning visitor's conversation stays live while the chat is
    // closed, so an agent's reply is noticed.
    else if (state.token && state.conversationId) session().catch(function () { /* retried on open */ });
  }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
