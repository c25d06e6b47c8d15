'use strict';
// A Telegram Bot API emulator for supportbot's end-to-end tests: the npm
// package telegram-test-api 4.2.1, wrapped in an Express app of our own
// that fixes what it lacks for github.com/go-telegram/bot and adds a few
// test-only endpoints. Started by the Go tests (telegramtest.Start) as
// `node start.js`; it listens on a free loopback port and prints
// {"port":N} on its first line of output. It exits when its standard
// input closes, so it never outlives the test that started it.
//
// Fixes over the bare emulator:
//  1. go-telegram sends every call as multipart/form-data, which the
//     emulator does not parse: fields are parsed with multer first, an
//     empty or truncated body (getMe) counting as {}.
//  2. getUpdates ignores `timeout` and answers [] at once (a hot loop):
//     here it is held until a user update arrives or the timeout passes.
//  3. Methods it lacks (sendChatAction, setMyCommands, getFile, ...)
//     answer like Telegram instead of HTTP 500; getFile and the file
//     download serve files registered with POST /test/files.
//  4. Webhook deliveries carry X-Telegram-Bot-Api-Secret-Token when
//     setWebhook gave one, as Telegram's do, and update ids are assigned
//     before the delivery, so concurrent sends never share one.
// Test endpoints: GET /test/calls?method=M (every Bot API call, recorded),
// POST /test/fail (make the next calls of a method fail: 429, 403, ...),
// POST /test/redeliver (deliver an update again, as Telegram does when it
// was not confirmed), POST /test/files.

const express = require('express');
const multer = require('multer');
const TelegramServer = require('telegram-test-api');

const tg = new TelegramServer({ host: '127.0.0.1', port: 1, storeTimeout: 3600 });

// Fix 4: assign the update id synchronously; deliver webhooks with the
// secret token; fail the client call when the webhook refuses.
tg.addUserUpdate = async function addUserUpdate(update) {
  if (!update.botToken) throw new Error('the update needs a botToken');
  this.updateId++;
  const webhook = this.webhooks[update.botToken];
  if (!webhook) {
    this.storage.userMessages.push(update);
    return;
  }
  const headers = { 'content-type': 'application/json' };
  if (webhook.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secret_token;
  const resp = await fetch(webhook.url, {
    method: 'POST', headers, body: JSON.stringify(TelegramServer.formatUpdate(update)),
  });
  if (!resp.ok) throw new Error(`webhook answered HTTP ${resp.status}`);
};

const calls = []; // every Bot API call: {method, token, body, time}
const failures = []; // {method, chat_id, times, error_code, description, retry_after}
const files = new Map(); // file_id -> {file_path, data}
const implemented = new Set(['getMe', 'getUpdates', 'sendMessage', 'editMessageText', 'editMessageReplyMarkup',
  'deleteMessage', 'answerCallbackQuery', 'setWebhook', 'deleteWebhook']);

const app = express();
app.use(express.json({ limit: '20mb' }));

// Fix 1.
const upload = multer({ limits: { fieldSize: 8 << 20 } }).none();
app.use((req, res, next) => {
  if (!(req.headers['content-type'] || '').startsWith('multipart/form-data')) return next();
  upload(req, res, (err) => {
    if (err && !/Unexpected end of form|Malformed part header/.test(String(err.message))) return next(err);
    req.body = Object.assign({}, req.body || {});
    // Multipart fields are strings; Telegram reads the JSON-valued ones
    // as objects, and so echoes them back in the sent message.
    for (const k of ['reply_markup', 'entities', 'link_preview_options', 'reply_parameters', 'commands', 'scope',
      'allowed_updates', 'caption_entities']) {
      if (typeof req.body[k] === 'string') {
        try { req.body[k] = JSON.parse(req.body[k]); } catch (e) { /* left as sent */ }
      }
    }
    req._body = true; // keep the emulator's own parsers off the consumed stream
    next();
  });
});

// The user's side: the emulator's client routes, awaited so that a
// refused webhook is an error, and answering with the update id.
for (const [path, fn] of [['/sendMessage', 'addUserMessage'], ['/sendCommand', 'addUserCommand'],
  ['/sendCallback', 'addUserCallback']]) {
  app.post(path, async (req, res) => {
    const updateId = tg.updateId;
    try {
      await tg[fn](req.body);
      res.json({ ok: true, result: { update_id: updateId } });
    } catch (e) {
      res.status(502).json({ ok: false, description: String(e.message || e) });
    }
  });
}

app.post('/test/files', (req, res) => {
  const { file_id: id, data } = req.body;
  const buf = Buffer.from(data || '', 'base64');
  const file = { file_id: id, file_unique_id: `u${id}`, file_size: buf.length, file_path: `documents/${id}` };
  files.set(id, { file, data: buf });
  res.json({ ok: true, result: file });
});

app.get('/test/calls', (req, res) => {
  const m = req.query.method;
  res.json({ ok: true, result: calls.filter((c) => !m || c.method === m) });
});

app.post('/test/fail', (req, res) => {
  failures.push(Object.assign({ times: 1, error_code: 500, description: 'Internal Server Error' }, req.body));
  res.json({ ok: true, result: true });
});

app.post('/test/redeliver', (req, res) => {
  const u = tg.storage.userMessages.find((m) => m.updateId === Number(req.body.update_id));
  if (!u) return res.status(404).json({ ok: false, description: 'no such update' });
  u.isRead = false;
  tg.emit('AddedUserMessage');
  res.json({ ok: true, result: true });
});

app.get('/file/bot:token/*', (req, res) => {
  const f = [...files.values()].find((x) => x.file.file_path === req.params[0]);
  if (!f) return res.status(404).end();
  res.type('application/octet-stream').send(f.data);
});

app.all('/bot:token/:method', (req, res, next) => {
  const { method, token } = req.params;
  calls.push({ method, token, body: req.body, time: Date.now() });
  const i = failures.findIndex((f) => f.method === method && f.times > 0
    && (f.chat_id === undefined || String(f.chat_id) === String(req.body.chat_id)));
  if (i >= 0) {
    const f = failures[i];
    f.times--;
    const answer = { ok: false, error_code: f.error_code, description: f.description };
    if (f.retry_after) answer.parameters = { retry_after: f.retry_after };
    return res.status(f.error_code).json(answer);
  }
  if (method === 'getUpdates') return longPoll(req, res, token); // fix 2
  if (method === 'getFile') {
    const f = files.get(req.body.file_id);
    if (!f) return res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
    return res.json({ ok: true, result: f.file });
  }
  if (!implemented.has(method)) return res.json({ ok: true, result: true }); // fix 3
  return next();
});

function longPoll(req, res, token) {
  const send = () => res.json({ ok: true, result: tg.getUpdates(token) });
  const timeout = Math.min(Number(req.body.timeout) || 0, 50) * 1000;
  if (timeout === 0 || tg.storage.userMessages.some((u) => u.botToken === token && !u.isRead)) return send();
  const events = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'];
  let timer;
  const done = () => {
    clearTimeout(timer);
    events.forEach((e) => tg.off(e, done));
    res.off('close', done);
    if (!res.writableEnded && !res.destroyed) send();
  };
  events.forEach((e) => tg.on(e, done));
  res.on('close', done);
  timer = setTimeout(done, timeout);
}

app.use(tg.webServer);

process.on('unhandledRejection', (e) => process.stderr.write(`unhandled: ${e}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  tg.config.port = port;
  tg.config.apiURL = `http://127.0.0.1:${port}`;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
