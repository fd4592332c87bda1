// Driehoek's service worker: the app shell from the cache, so that the app starts without a
// network. The build (scripts/precache.mjs) replaces the two placeholders below with the files
// actually in the build and a version made from their contents; this file is never edited by hand
// to list files.
'use strict';

const VERSION = '__DRIEHOEK_VERSION__';
const PRECACHE = ['__DRIEHOEK_PRECACHE__'];
const PREFIX = 'driehoek-shell-';
const CACHE = PREFIX + VERSION;
const SHELL = '/index.html';
// The school's Beheer app is not precached (a parent's phone never needs it): its files are
// fetched from the network first and kept for the next time the network is gone.
const BEHEER_CACHE = 'driehoek-beheer-' + VERSION;
const isBeheer = (path) => path === '/beheer' || path.startsWith('/beheer/') || /^\/beheer[-.]/.test(path);

function beheer(request, key) {
  return fetch(request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(BEHEER_CACHE).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() =>
      caches.match(key, { cacheName: BEHEER_CACHE }).then((kept) => kept || Response.error()),
    );
}

self.addEventListener('install', (event) => {
  // No skipWaiting() here: a new version waits until the parent taps "Vernieuwen".
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter(
              (key) =>
                (key.startsWith(PREFIX) && key !== CACHE) ||
                (key.startsWith('driehoek-beheer-') && key !== BEHEER_CACHE),
            )
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Other origins and the sync API are never answered from, or stored in, this cache.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;

  if (isBeheer(url.pathname)) {
    event.respondWith(beheer(request, request.mode === 'navigate' ? '/beheer.html' : url.pathname));
    return;
  }

  if (request.mode === 'navigate') {
    // Every screen is the same app shell; the router picks the screen from the address.
    event.respondWith(
      caches
        .match(SHELL, { cacheName: CACHE })
        .then((cached) => cached || fetch(request)),
    );
    return;
  }

  event.respondWith(
    caches
      .match(request, { cacheName: CACHE, ignoreSearch: true })
      .then((cached) => cached || fetch(request)),
  );
});
