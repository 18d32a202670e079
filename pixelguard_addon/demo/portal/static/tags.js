// The tracker tags a hospital's tag manager fires, in the request shapes the vendors' own tags
// use (Meta Pixel, GA4, TikTok, Mixpanel, a session-replay upload). Each send is awaited, and
// when a group of beacons is out its name is added to <body data-tags-sent="...">: the demo's
// browser driver waits for that instead of guessing with timeouts.
(() => {
  "use strict";
  const META = "https://www.facebook.com/tr/";
  const GA4 = "https://region1.google-analytics.com/g/collect";
  const TIKTOK = "https://analytics.tiktok.com/api/v2/pixel";
  const MIXPANEL = "https://api-js.mixpanel.com/track/";
  const REPLAY = "https://content.hotjar.io/?site_id=3712994&gzip=1";
  const LOADED = Date.now();
  const CLIENT_ID = "1875522231.1763651000";
  const body = document.body;

  function sent(group) {
    const done = new Set((body.dataset.tagsSent || "").split(" ").filter(Boolean));
    done.add(group);
    body.dataset.tagsSent = [...done].join(" ");
  }

  async function fire(group, beacons) {
    await Promise.all(beacons.map((beacon) => beacon.catch(() => undefined)));
    sent(group);
  }

  // Beacons are "simple" cross-site requests, as the vendors send them: no CORS preflight.
  function post(url, data, type = "text/plain;charset=UTF-8") {
    return fetch(url, { method: "POST", body: data, mode: "no-cors", keepalive: true,
                        credentials: "include", headers: { "Content-Type": type } });
  }

  async function sha256(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  function metaPixel(event, params = {}) {
    const query = new URLSearchParams({
      id: "1234567890123456", ev: event, dl: location.href, rl: document.referrer, if: "false",
      ts: String(Date.now()), sw: String(screen.width), sh: String(screen.height), v: "2.9.176",
      r: "stable", ec: "0", o: "4126", fbp: "fb.1.1763651000.987654321", it: String(LOADED),
      coo: "false", rqm: "GET", ...params });
    return new Promise((resolve) => {  // the pixel is an image: done when it loads or fails
      const img = new Image();
      img.onload = img.onerror = resolve;
      img.src = `${META}?${query}`;
    });
  }

  // GA4 batches: common parameters in the query, one url-encoded event per line in the body.
  function ga4(events) {
    const common = new URLSearchParams({
      v: "2", tid: "G-MVH2026XYZ", gtm: "45je5b20v9", _p: String(LOADED), cid: CLIENT_ID,
      ul: "en-us", sr: `${screen.width}x${screen.height}`, sid: "1763651000", sct: "1", seg: "0",
      dl: location.href, dr: document.referrer, dt: document.title });
    return post(`${GA4}?${common}`, events.map((e) => new URLSearchParams(e).toString()).join("\n"));
  }

  function pageView() {
    return [
      metaPixel("PageView", { "cd[pageFeatures]": JSON.stringify({ title: document.title }) }),
      ga4([{ en: "page_view", _et: "12" }]),
    ];
  }

  function searchEvent() {
    const term = new URLSearchParams(location.search).get("q");
    if (!term) return [];
    const results = document.querySelectorAll("#doctor-results li").length;
    return [ga4([{ en: "search", "ep.search_term": term, _et: "3120" },
                 { en: "view_search_results", "epn.results": String(results) }])];
  }

  // Meta's automatic advanced matching: what the patient typed, normalised and hashed.
  async function advancedMatching(form) {
    const value = (name) => (form.elements[name]?.value || "").trim().toLowerCase();
    return {
      "udff[em]": await sha256(value("email")),
      "udff[ph]": await sha256(value("phone").replace(/\D/g, "")),
      "udff[fn]": await sha256(value("first_name")),
      "udff[ln]": await sha256(value("last_name")),
      "udff[db]": await sha256(value("dob").replace(/-/g, "")),
    };
  }

  function buttonFeatures(button, form) {
    return {
      "cd[buttonFeatures]": JSON.stringify({
        classList: button.className, destination: "", id: button.id, imageUrl: "",
        innerText: button.innerText, numChildButtons: 0, tag: "button", type: "submit",
        name: "", value: "" }),
      "cd[buttonText]": button.innerText,
      "cd[formFeatures]": JSON.stringify([...form.elements].filter((e) => e.name).map((e) => ({
        id: e.id, name: e.name, tag: e.tagName.toLowerCase(), placeholder: e.placeholder || "" }))),
      es: "automatic", tm: "3",
    };
  }

  async function tiktokSubmit(form) {
    const email = form.elements.email.value.trim().toLowerCase();
    return post(TIKTOK, JSON.stringify({
      event: "SubmitForm", message_id: `messageId-${Date.now()}-7781`, event_id: "",
      is_onsite: false, timestamp: new Date().toISOString(),
      context: { ad: {}, device: { platform: "pc" }, library: { name: "pixel.js", version: "2.2.1" },
                 page: { url: location.href, referrer: document.referrer },
                 pixel: { code: "CMVH2026TTXYZ" },
                 user: { anonymous_id: "5Jp8-1763651000", email: await sha256(email) } },
      properties: { content_name: `Appointment request: ${form.elements.reason.value}`,
                    content_category: form.dataset.service || "general" },
    }));
  }

  async function onAppointment(event) {
    event.preventDefault();
    const form = event.target;
    const button = form.querySelector("button[type=submit]");
    const data = Object.fromEntries(new FormData(form));
    const status = document.getElementById("appointment-status");
    const saved = fetch("/api/appointments", { method: "POST", headers: { "Content-Type": "application/json" },
                                                body: JSON.stringify({ ...data, service: form.dataset.service }) })
      .then((r) => { status.textContent = r.ok ? "Thank you. We will call you to confirm." : "Please try again."; });
    const matching = await advancedMatching(form);
    await fire("submit", [saved, metaPixel("SubscribedButtonClick", { ...buttonFeatures(button, form), ...matching }),
                          tiktokSubmit(form)]);
  }

  // Product analytics: Mixpanel's data= form field, base64 of a JSON event batch.
  function mixpanel(event, properties) {
    const batch = JSON.stringify([{ event, properties: {
      $current_url: location.href, $browser: "Chrome", distinct_id: "18c2a7f1e4b-0d1e2f",
      token: "3f6c1a2b9d8e7f60a1b2c3d4e5f60718", time: Math.floor(Date.now() / 1000), ...properties } }]);
    const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(batch)));
    return post(`${MIXPANEL}?verbose=1&ip=1&_=${Date.now()}`, `data=${encodeURIComponent(encoded)}`,
                "application/x-www-form-urlencoded");
  }

  function resultViews() {
    const medication = document.getElementById("medication")?.textContent || "";
    return [...document.querySelectorAll("[data-result]")].slice(0, 1).map((row) =>
      mixpanel("Viewed Result", { result_name: row.dataset.result, medication }));
  }

  // Session replay: recorded input and page events, gzip-compressed, sent as text/plain.
  async function replayUpload(events) {
    const stream = new Blob([JSON.stringify({ events })]).stream().pipeThrough(new CompressionStream("gzip"));
    return post(REPLAY, await new Response(stream).arrayBuffer());
  }

  async function onMessage(event) {
    event.preventDefault();
    const text = event.target.elements.message.value;
    const saved = fetch("/MyChart/app/messages", { method: "POST", headers: { "Content-Type": "application/json" },
                                                   body: JSON.stringify({ message: text }) })
      .then((r) => { document.getElementById("message-status").textContent = r.ok ? "Message sent." : "Not sent."; });
    await fire("message", [saved, replayUpload([
      { type: "input", selector: "#message-to-care-team", text }, { type: "page", url: location.href }])]);
  }

  const page = body.dataset.page;
  fire("pageview", [...pageView(), ...(page === "find-doctor" ? searchEvent() : []),
                    ...(page === "test-results" ? resultViews() : [])]);
  document.getElementById("appointment-form")?.addEventListener("submit", onAppointment);
  document.getElementById("message-form")?.addEventListener("submit", onMessage);
})();
