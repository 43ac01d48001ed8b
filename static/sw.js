// The mothers' offline app: keeps her pages (her home and the
// conversation form) and their stylesheet, script and icons on the phone,
// so that they open without a signal. Pages come from the network when
// there is one (and the copy is refreshed), else from the copy. Writes are
// not handled here: the page queues a contact it could not send
// (static/my.js) and sends it when the signal returns.
const CACHE = "nm-my-v1";
const PAGES = ["/my", "/my/contact"];
const FILES = ["/static/app.css", "/static/my.js", "/static/icon-192.png", "/static/icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") {
    return;
  }
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
    return;
  }
  if (PAGES.includes(url.pathname)) {
    event.respondWith(
      fetch(req)
        .then((res) => {
          // Only her own page as she sees it signed in, never a sign-in redirect.
          if (res.ok && !res.redirected) {
            const copy = res.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return res;
        })
        .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error()))
    );
  }
});
