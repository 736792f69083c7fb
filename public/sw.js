/**
 * Housecall's service worker: the app shell opens offline; nothing with PHI is ever stored.
 *
 * Model. Two kinds of response are kept, both free of patient data:
 *   - versioned static assets (`/_next/static/*`, icons, fonts): content-hashed by the build,
 *     served cache-first;
 *   - the offline shell (`/offline`): a static page that renders nothing patient-specific on
 *     the server. A page navigation is always sent to the network and never stored; only when
 *     the network fails does the shell answer instead, and its client code then reads the
 *     device's encrypted store (lib/offline).
 * Everything else (the FHIR proxy and every other `/api/*`, `/launch`, `/redirect`, share links,
 * React Server Component payloads, anything with a query string, anything not GET) is not
 * touched. A response is stored only if it is a plain same-origin 200 without `no-store` or
 * `private` in its Cache-Control.
 *
 * Caches are named `housecall-shell-{version}`; the version comes from the registration URL
 * (`/sw.js?v=BUILD`), so a new build installs a new worker, which deletes older caches when it
 * activates. A sign-out wipe deletes every `housecall*` cache too: the shell is then fetched
 * again on the next successful navigation.
 *
 * `decide()` and `mayStore()` are pure and exported through `self.HousecallServiceWorker` for
 * the unit tests (app/offline/service-worker.test.ts evaluates this very file).
 */
'use strict';

(function (scope) {
  var SHELL_PATH = '/offline';
  var CACHE_PREFIX = 'housecall-shell-';

  /** Paths that never go near a cache, whatever else the request looks like. */
  var NEVER = [/^\/api(\/|$)/, /^\/launch(\/|$)/, /^\/redirect(\/|$)/, /^\/share(\/|$)/, /^\/signed-out(\/|$)/, /^\/support(\/|$)/, /^\/\.well-known(\/|$)/, /^\/l\/[^/]+\/signout(\/|$)/, /^\/sw\.js$/];
  /** Versioned, PHI-free assets. */
  var STATIC = [/^\/_next\/static\//, /^\/favicon\.ico$/, /^\/(icon|apple-icon)[^/]*\.(png|svg|ico)$/, /^\/fonts\/[^/]+\.(woff2?|ttf)$/];

  /**
   * What to do with a request: `bypass` (the worker does not answer; the browser fetches as if
   * there were no worker), `static` (cache first, stored when safe), `navigate` (network only,
   * the offline shell if the network fails; the response is never stored).
   * @param {{ method: string, url: string, mode?: string, origin: string, headers?: Record<string, string> }} r
   * @returns {'bypass' | 'static' | 'navigate'}
   */
  function decide(r) {
    if (r.method !== 'GET') return 'bypass';
    var url;
    try {
      url = new URL(r.url);
    } catch (e) {
      return 'bypass';
    }
    if (url.origin !== r.origin) return 'bypass';
    var path = url.pathname;
    for (var i = 0; i < NEVER.length; i += 1) if (NEVER[i].test(path)) return 'bypass';
    var headers = r.headers || {};
    // React Server Component payloads carry the page's data: never answered from a cache.
    if (headers.rsc !== undefined || headers['next-router-state-tree'] !== undefined || url.searchParams.has('_rsc')) return 'bypass';
    if (r.mode === 'navigate') return 'navigate';
    if (url.search !== '') return 'bypass';
    for (var j = 0; j < STATIC.length; j += 1) if (STATIC[j].test(path)) return 'static';
    return 'bypass';
  }

  /**
   * Whether a response may be stored: same-origin (`basic`), 200, and not marked `no-store` or
   * `private`.
   * @param {{ status: number, type: string, cacheControl: string | null }} r
   */
  function mayStore(r) {
    if (r.type !== 'basic' || r.status !== 200) return false;
    var cc = (r.cacheControl || '').toLowerCase();
    return !/(^|[,\s])(no-store|private)([,=\s]|$)/.test(cc);
  }

  /** The script URL of the page's `<script src>` and stylesheet links that are static assets. */
  function assetsOf(html, origin) {
    var found = [];
    var re = /(?:src|href)="([^"]+)"/g;
    var m;
    while ((m = re.exec(html)) !== null) {
      var u;
      try {
        u = new URL(m[1].replace(/&amp;/g, '&'), origin);
      } catch (e) {
        continue;
      }
      if (decide({ method: 'GET', url: u.href, origin: origin }) === 'static' && found.indexOf(u.href) < 0) found.push(u.href);
    }
    return found;
  }

  /** The caches an activating worker deletes: every shell cache but its own (never other `housecall*` caches). */
  function staleCaches(names, current) {
    return names.filter(function (n) {
      return n.indexOf(CACHE_PREFIX) === 0 && n !== current;
    });
  }

  var api = { decide: decide, mayStore: mayStore, assetsOf: assetsOf, staleCaches: staleCaches, SHELL_PATH: SHELL_PATH, CACHE_PREFIX: CACHE_PREFIX };
  scope.HousecallServiceWorker = api;

  // Below: the worker itself (absent when the unit tests evaluate this file).
  if (typeof scope.registration === 'undefined' || typeof scope.caches === 'undefined') return;

  var version = new URL(scope.location.href).searchParams.get('v') || 'dev';
  var CACHE = CACHE_PREFIX + version.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);

  function describeResponse(response) {
    return { status: response.status, type: response.type, cacheControl: response.headers.get('cache-control') };
  }

  /** Fetches the shell and the static assets it names, and stores them (all or nothing). */
  function precacheShell() {
    var shellUrl = new URL(SHELL_PATH, scope.location.origin).href;
    return fetch(shellUrl, { cache: 'reload', credentials: 'omit' }).then(function (response) {
      if (!mayStore(describeResponse(response))) throw new Error('shell not storable');
      return response
        .clone()
        .text()
        .then(function (html) {
          var assets = assetsOf(html, scope.location.origin);
          return Promise.all(
            assets.map(function (a) {
              return fetch(a, { credentials: 'omit' }).then(function (r) {
                if (!mayStore(describeResponse(r))) throw new Error('asset not storable');
                return [a, r];
              });
            }),
          );
        })
        .then(function (pairs) {
          return caches.open(CACHE).then(function (cache) {
            return Promise.all(
              pairs.map(function (p) {
                return cache.put(p[0], p[1]);
              }),
            ).then(function () {
              return cache.put(shellUrl, response);
            });
          });
        });
    });
  }

  function shellResponse() {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(new URL(SHELL_PATH, scope.location.origin).href);
    });
  }

  var refreshing = null;
  /** After a wipe deleted our cache, fetch the shell again (once at a time). */
  function ensureShell() {
    if (refreshing) return refreshing;
    refreshing = shellResponse()
      .then(function (cached) {
        return cached ? undefined : precacheShell();
      })
      .catch(function () {})
      .then(function () {
        refreshing = null;
      });
    return refreshing;
  }

  scope.addEventListener('install', function (event) {
    event.waitUntil(precacheShell().then(function () {
      return scope.skipWaiting();
    }));
  });

  scope.addEventListener('activate', function (event) {
    event.waitUntil(
      caches
        .keys()
        .then(function (names) {
          return Promise.all(
            staleCaches(names, CACHE).map(function (n) {
              return caches.delete(n);
            }),
          );
        })
        .then(function () {
          return scope.clients.claim();
        }),
    );
  });

  scope.addEventListener('fetch', function (event) {
    var request = event.request;
    var headers = {};
    ['rsc', 'next-router-state-tree'].forEach(function (h) {
      var v = request.headers.get(h);
      if (v !== null) headers[h] = v;
    });
    var action = decide({ method: request.method, url: request.url, mode: request.mode, origin: scope.location.origin, headers: headers });
    if (action === 'bypass') return;
    if (action === 'static') {
      event.respondWith(
        caches.open(CACHE).then(function (cache) {
          return cache.match(request).then(function (hit) {
            if (hit) return hit;
            return fetch(request).then(function (response) {
              if (mayStore(describeResponse(response))) event.waitUntil(cache.put(request, response.clone()));
              return response;
            });
          });
        }),
      );
      return;
    }
    // navigate: the network's answer, never stored; the shell only when there is no network.
    event.respondWith(
      fetch(request).then(
        function (response) {
          event.waitUntil(ensureShell());
          return response;
        },
        function (error) {
          return shellResponse().then(function (shell) {
            if (shell) return shell;
            throw error;
          });
        },
      ),
    );
  });
})(self);
