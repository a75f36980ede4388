// Amma's web chat. Talks to the Rasa server's socket.io channel; every setting
// (its address, intent payloads, contact numbers, the sentences that mark an
// emergency or the end of a routine) comes from /config.json, built by
// web/server.py from the knowledge base. Messages are turned into DOM nodes
// with textContent only: nothing a message says is ever parsed as HTML.
"use strict";

(function () {
  const KEYS = {
    session: "amma.session",
    transcript: "amma.transcript",
    timer: "amma.timer",
    chime: "amma.chime",
    speak: "amma.speak",
    advance: "amma.advance",
  };
  const KEEP_MESSAGES = 300; // the transcript kept for a reload
  const $ = (id) => document.getElementById(id);
  const log = $("log");
  const input = $("message");
  let config = null;
  let socket = null;
  let sessionId = localStorage.getItem(KEYS.session);
  let ready = false; // the server confirmed our session: messages can go
  const pending = []; // typed while the server was away
  let transcript = [];
  let timer = null; // {endAt, left, seconds, step, total, point, side, state, node}
  let tickHandle = null;
  let typingHandle = null;
  let advanceHandle = null; // the short wait before the next step follows by itself

  // ------------------------------------------------------------ storage
  function load(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }
  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // Storage full or disabled: the chat still works, only a reload forgets.
    }
  }
  function remember(entry) {
    transcript.push(entry);
    transcript = transcript.slice(-KEEP_MESSAGES);
    save(KEYS.transcript, transcript);
  }

  // ------------------------------------------------------------ formatting
  // Bold (**...**), bullet and numbered lists, line breaks, and the contact
  // numbers as links that dial; everything else is plain text.
  function inline(parent, text) {
    const parts = text.split(/\*\*(.+?)\*\*/g);
    parts.forEach((part, index) => {
      if (!part) return;
      const target = index % 2 ? parent.appendChild(document.createElement("strong")) : parent;
      linkNumbers(target, part);
    });
  }
  function linkNumbers(parent, text) {
    const dial = (config && config.dial) || [];
    if (!dial.length) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    const escaped = dial.map((d) => d.number.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(`(?<![\\d])(${escaped.join("|")})(?![\\d]|\\s\\d)`, "g");
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const link = document.createElement("a");
      link.href = dial.find((d) => d.number === match[1]).href;
      link.textContent = match[1];
      link.className = "dial";
      parent.appendChild(link);
      last = match.index + match[1].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function formatted(text) {
    const box = document.createElement("div");
    box.className = "text";
    let list = null;
    let lineOpen = false;
    for (const line of String(text).split("\n")) {
      const bullet = line.match(/^\s*[-*•]\s+(.*)$/);
      const numbered = line.match(/^\s*\d+[.)]\s+(.*)$/);
      if (bullet || numbered) {
        const kind = bullet ? "UL" : "OL";
        if (!list || list.tagName !== kind) list = box.appendChild(document.createElement(kind));
        inline(list.appendChild(document.createElement("li")), (bullet || numbered)[1]);
        lineOpen = false;
        continue;
      }
      list = null;
      if (lineOpen) box.appendChild(document.createElement("br"));
      inline(box, line);
      lineOpen = true;
    }
    return box;
  }
  function plain(text) {
    return String(text || "").replace(/\*\*/g, "");
  }
  const startsWithAny = (text, starts) => (starts || []).some((s) => String(text || "").startsWith(s));

  // ------------------------------------------------------------ messages
  function scrollDown(node) {
    node.scrollIntoView({ block: "end", behavior: "smooth" });
  }
  function addItem(className) {
    $("empty").hidden = true;
    const item = document.createElement("li");
    item.className = `message ${className}`;
    log.appendChild(item);
    return item;
  }
  function showUser(text) {
    const item = addItem("user");
    item.appendChild(document.createElement("span")).className = "visually-hidden";
    item.firstChild.textContent = "You said: ";
    item.appendChild(formatted(text));
    scrollDown(item);
  }
  function showBot(entry, live) {
    const kind = startsWithAny(entry.text, config.urgentStarts)
      ? "urgent"
      : startsWithAny(entry.text, config.checkStarts)
        ? "check"
        : "";
    const item = addItem(`bot ${kind}`);
    const who = item.appendChild(document.createElement("span"));
    who.className = "visually-hidden";
    who.textContent = kind === "urgent" ? "Amma, urgent: " : "Amma says: ";
    if (kind === "urgent") {
      item.setAttribute("role", "alert"); // heard at once, not after the queue
      const title = item.appendChild(document.createElement("p"));
      title.className = "urgent-title";
      title.textContent = "Stop self-care and get help now";
      title.setAttribute("aria-hidden", "true");
    }
    if (entry.text) item.appendChild(formatted(entry.text));
    if (entry.image) {
      const picture = item.appendChild(document.createElement("img"));
      picture.src = entry.image;
      picture.alt = "Diagram of where the point is";
      picture.className = "diagram";
      picture.addEventListener("load", () => live && scrollDown(item));
    }
    if (entry.buttons && entry.buttons.length) {
      const group = item.appendChild(document.createElement("div"));
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Answers");
      for (const button of entry.buttons) {
        const node = group.appendChild(document.createElement("button"));
        node.type = "button";
        node.textContent = button.title;
        node.addEventListener("click", () => send(button.payload, button.title));
      }
      if (!live) disableQuickReplies(); // only the newest answers are offered after a reload
    }
    if (kind === "urgent") showUrgentBanner(item);
    scrollDown(item);
    return kind;
  }
  function disableQuickReplies() {
    for (const node of log.querySelectorAll(".quick-replies button")) node.disabled = true;
  }
  function showUrgentBanner(item) {
    // The reply's lines that carry a number ("UK: emergency 999 (or 111 ...)"),
    // or its bare numbers, above the conversation until the person hides them.
    const links = $("urgent-links");
    links.textContent = "";
    const lines = [...item.querySelectorAll("li")].filter((li) => li.querySelector("a.dial"));
    const parts = lines.length ? lines : [...item.querySelectorAll("a.dial")];
    for (const part of parts) {
      const copy = links.appendChild(document.createElement("span"));
      copy.className = "urgent-line";
      for (const node of part.childNodes) copy.appendChild(node.cloneNode(true));
    }
    if (parts.length) $("urgent-banner").hidden = false;
  }

  function receive(message) {
    typing(false);
    if (message.timer) {
      remember({ who: "timer", timer: message.timer, at: Date.now() });
      startTimer(message.timer);
      return;
    }
    const entry = {
      who: "bot",
      text: message.text || "",
      buttons: (message.quick_replies || []).map((b) => ({ title: b.title, payload: b.payload })),
      image: message.attachment && message.attachment.payload ? message.attachment.payload.src : null,
    };
    if (!entry.text && !entry.image && !entry.buttons.length) return;
    remember(entry);
    const kind = showBot(entry, true);
    if (kind === "urgent" || startsWithAny(entry.text, config.routineOver)) endTimer("ended");
    else if (config.timesUp.includes(entry.text)) {
      holdOver();
      if (entry.text === config.timesUp[0]) advanceSoon(); // [1] ends the routine: no next step
    }
    else if (entry.buttons.some((b) => b.payload === config.intents.resume)) pauseTimer();
    speak(entry.text);
  }

  // ------------------------------------------------------------ sending
  function send(text, shown) {
    text = String(text || "").trim();
    if (!text) return;
    cancelAdvance(); // whatever the person says or taps comes first
    disableQuickReplies();
    remember({ who: "user", text: shown || text });
    showUser(shown || text);
    if (ready) emit(text);
    else pending.push(text);
    typing(true);
  }
  function emit(text) {
    socket.emit("user_uttered", { message: text, session_id: sessionId });
  }
  function typing(on) {
    clearTimeout(typingHandle);
    $("typing").hidden = !on;
    if (on) {
      scrollDown($("typing"));
      typingHandle = setTimeout(() => typing(false), 30000);
    }
  }

  // ------------------------------------------------------------ countdown
  // One card per hold: the point's diagram, a ring that empties as the hold
  // runs, and pause, skip and stop buttons that send the same intents as the
  // typed words. The end time is stored, so a reload keeps counting.
  const RING = 2 * Math.PI * 44;
  function startTimer(payload, restored) {
    endTimer("ended");
    const now = Date.now();
    timer = restored || {
      seconds: payload.seconds,
      step: payload.step,
      total: payload.total,
      point: payload.point,
      side: payload.side,
      endAt: now + payload.seconds * 1000,
      left: payload.seconds,
      state: "running",
    };
    timer.node = timerCard(timer);
    save(KEYS.timer, { ...timer, node: undefined });
    tick();
    clearInterval(tickHandle);
    tickHandle = setInterval(tick, 250);
  }
  function timerCard(t) {
    const item = addItem("timer");
    item.setAttribute("aria-label", `Step ${t.step} of ${t.total} timer`);
    const picture = item.appendChild(document.createElement("img"));
    picture.src = `/points/${encodeURIComponent(t.point)}.svg`;
    picture.alt = `Diagram of where ${t.point} is`;
    picture.className = "diagram small";
    picture.addEventListener("load", () => item === log.lastElementChild && scrollDown(item));
    const ring = item.appendChild(document.createElementNS("http://www.w3.org/2000/svg", "svg"));
    ring.setAttribute("viewBox", "0 0 100 100");
    ring.setAttribute("class", "ring");
    ring.setAttribute("aria-hidden", "true");
    for (const name of ["track", "progress"]) {
      const circle = ring.appendChild(document.createElementNS("http://www.w3.org/2000/svg", "circle"));
      circle.setAttribute("cx", "50");
      circle.setAttribute("cy", "50");
      circle.setAttribute("r", "44");
      circle.setAttribute("class", name);
    }
    const clock = item.appendChild(document.createElement("div"));
    clock.className = "clock";
    clock.setAttribute("role", "timer");
    const label = item.appendChild(document.createElement("div"));
    label.className = "timer-label";
    label.textContent = `Step ${t.step} of ${t.total}: ${t.point}${t.side ? `, ${t.side}` : ""}`;
    const controls = item.appendChild(document.createElement("div"));
    controls.className = "timer-controls";
    for (const [name, title] of [["pause", "Pause"], ["resume", "Resume"], ["skip", "Skip"], ["stop", "Stop"]]) {
      const button = controls.appendChild(document.createElement("button"));
      button.type = "button";
      button.textContent = title;
      button.dataset.control = name;
      button.addEventListener("click", () => {
        if (name === "pause") pauseTimer();
        send(config.intents[name], title);
      });
    }
    scrollDown(item);
    return item;
  }
  function secondsLeft() {
    if (!timer) return 0;
    if (timer.state !== "running") return timer.left;
    return Math.max(0, (timer.endAt - Date.now()) / 1000);
  }
  function tick() {
    if (!timer) return;
    const left = secondsLeft();
    const node = timer.node;
    node.dataset.state = timer.state;
    node.querySelector(".progress").style.strokeDashoffset = String(RING * (1 - left / timer.seconds));
    node.querySelector(".clock").textContent =
      timer.state === "over" ? "Time's up" : timer.state === "paused" ? `${Math.ceil(left)} s, paused` : `${Math.ceil(left)} s`;
    if (timer.state === "running" && left <= 0) holdOver();
  }
  function holdOver() {
    if (!timer || timer.state === "over" || timer.state === "ended") return;
    timer.left = 0;
    timer.state = "over";
    chime();
    save(KEYS.timer, { ...timer, node: undefined });
    tick();
  }
  function pauseTimer() {
    if (!timer || timer.state !== "running") return;
    timer.left = secondsLeft();
    timer.state = "paused";
    save(KEYS.timer, { ...timer, node: undefined });
    tick();
  }
  // When a hold ends, the next step follows by itself after a short pause to
  // release and find the next point (eyes closed, nobody taps "Next"), unless
  // the person turned that off, taps "Wait here" or says anything first.
  function advanceSoon() {
    cancelAdvance();
    if (!timer || !option("advance")) return;
    const card = timer.node;
    const bar = card.appendChild(document.createElement("div"));
    bar.className = "advance";
    bar.setAttribute("role", "status");
    const words = bar.appendChild(document.createElement("span"));
    const wait = bar.appendChild(document.createElement("button"));
    wait.type = "button";
    wait.textContent = "Wait here";
    wait.addEventListener("click", () => {
      cancelAdvance();
      input.focus();
    });
    const goAt = Date.now() + config.advanceSeconds * 1000;
    const count = () => {
      const left = Math.ceil((goAt - Date.now()) / 1000);
      if (left > 0) {
        words.textContent = `Next step in ${left} s`;
        return;
      }
      cancelAdvance();
      send(config.intents.next, "Next");
    };
    count();
    advanceHandle = { interval: setInterval(count, 250), bar };
  }
  function cancelAdvance() {
    if (!advanceHandle) return;
    clearInterval(advanceHandle.interval);
    advanceHandle.bar.remove();
    advanceHandle = null;
  }

  function endTimer(state) {
    cancelAdvance();
    clearInterval(tickHandle);
    if (timer) {
      timer.node.dataset.state = state;
      for (const button of timer.node.querySelectorAll("button")) button.disabled = true;
      if (state === "ended" && timer.state !== "over") timer.node.querySelector(".clock").textContent = "Ended";
    }
    timer = null;
    localStorage.removeItem(KEYS.timer);
  }

  // ------------------------------------------------------------ sound and voice
  let audio = null;
  function chime() {
    const log_ = $("log");
    log_.dataset.chimes = String(Number(log_.dataset.chimes || 0) + (option("chime") ? 1 : 0));
    if (!option("chime")) return;
    try {
      audio = audio || new AudioContext();
      const start = audio.currentTime;
      // Two soft sine tones, a fifth apart, fading out over two seconds.
      for (const [frequency, delay] of [[660, 0], [990, 0.18]]) {
        const tone = audio.createOscillator();
        const volume = audio.createGain();
        tone.type = "sine";
        tone.frequency.value = frequency;
        volume.gain.setValueAtTime(0.0001, start + delay);
        volume.gain.exponentialRampToValueAtTime(0.2, start + delay + 0.03);
        volume.gain.exponentialRampToValueAtTime(0.0001, start + delay + 2);
        tone.connect(volume).connect(audio.destination);
        tone.start(start + delay);
        tone.stop(start + delay + 2.1);
      }
    } catch (error) {
      // No audio device: the ring and the message still show the end of the hold.
    }
  }
  function speak(text) {
    if (!option("speak") || !text || !("speechSynthesis" in window)) return;
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(plain(text)));
  }
  // Sound and voice are off until turned on; going on by itself is on until turned off.
  const OPTION_DEFAULTS = { chime: "off", speak: "off", advance: "on" };
  function option(name) {
    return (localStorage.getItem(KEYS[name]) || OPTION_DEFAULTS[name]) === "on";
  }
  function unlockAudio() {
    // Browsers start sound only from a click or key press: after a reload with
    // the chime on, the first one wakes the audio up for the next hold.
    if (!option("chime")) return;
    audio = audio || new AudioContext();
    audio.resume();
  }
  function setUpOptions() {
    document.addEventListener("pointerdown", unlockAudio, { once: true });
    document.addEventListener("keydown", unlockAudio, { once: true });
    for (const name of ["chime", "speak", "advance"]) {
      const box = $(`opt-${name}`);
      box.checked = option(name);
      box.addEventListener("change", () => {
        localStorage.setItem(KEYS[name], box.checked ? "on" : "off");
        if (name === "chime" && box.checked) {
          audio = audio || new AudioContext(); // browsers allow sound only after a click
          audio.resume();
        }
        if (name === "speak" && !box.checked && "speechSynthesis" in window) window.speechSynthesis.cancel();
        if (name === "advance" && !box.checked) cancelAdvance();
      });
    }
  }

  // ------------------------------------------------------------ connection
  function status(text) {
    const node = $("connection");
    node.textContent = text || "";
    node.hidden = !text;
  }
  function connect() {
    socket = io(config.rasaUrl, { reconnectionDelayMax: 5000 });
    socket.on("connect", () => {
      // The same session id after a reload or a reconnect: the server's room and
      // tracker carry on where the conversation was.
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", (id) => {
      sessionId = typeof id === "string" ? id : id && id.session_id;
      localStorage.setItem(KEYS.session, sessionId);
      ready = true;
      status("");
      document.body.dataset.connected = "yes";
      while (pending.length) emit(pending.shift());
    });
    socket.on("bot_uttered", receive);
    const away = () => {
      ready = false;
      document.body.dataset.connected = "no";
      typing(false);
      status("Can't reach Amma right now. Trying again; your conversation is kept.");
    };
    socket.on("disconnect", away);
    socket.on("connect_error", away);
  }

  // ------------------------------------------------------------ start
  function restore() {
    transcript = load(KEYS.transcript, []);
    const saved = load(KEYS.timer, null);
    const lastTimer = transcript.map((entry) => entry.who).lastIndexOf("timer");
    transcript.forEach((entry, index) => {
      if (entry.who === "user") showUser(entry.text);
      else if (entry.who === "bot") showBot(entry, false);
      else if (entry.who === "timer" && index === lastTimer && saved) {
        startTimer(null, saved); // the hold still running, paused or just over: it keeps counting
        if (saved.state === "running" && saved.endAt <= Date.now()) holdOver();
      } else if (entry.who === "timer") {
        const card = timerCard({ ...entry.timer, state: "ended" });
        card.dataset.state = "ended";
        card.querySelector(".clock").textContent = "Ended";
        for (const button of card.querySelectorAll("button")) button.disabled = true;
      }
    });
    const last = log.lastElementChild;
    if (last && transcript.length && transcript[transcript.length - 1].who === "bot") {
      for (const node of last.querySelectorAll(".quick-replies button")) node.disabled = false;
    }
  }
  function newConversation() {
    for (const key of [KEYS.session, KEYS.transcript, KEYS.timer]) localStorage.removeItem(key);
    window.location.reload();
  }

  async function start() {
    setUpOptions();
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      send(input.value);
      input.value = "";
      input.focus();
    });
    $("new-chat").addEventListener("click", newConversation);
    $("urgent-close").addEventListener("click", () => {
      $("urgent-banner").hidden = true;
    });
    try {
      config = await (await fetch("/config.json", { cache: "no-store" })).json();
    } catch (error) {
      status("The chat page could not load its settings. Reload the page to try again.");
      return;
    }
    restore();
    if (typeof io !== "function") {
      status("The chat could not start (its socket.io script is missing).");
      return;
    }
    connect();
    input.focus();
  }
  start();
})();
