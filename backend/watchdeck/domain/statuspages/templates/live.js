// Keeps an open status page current: the server says when the page changed and this
// fetches it again (from cache, by ETag). Without script the page is simply static.
(function () {
  var events = document.documentElement.getAttribute('data-events');
  if (!events || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var busy = false;
  function swap(html) {
    var next = new DOMParser().parseFromString(html, 'text/html');
    ['live', 'updated'].forEach(function (id) {
      var current = document.getElementById(id);
      var fresh = next.getElementById(id);
      if (current && fresh) current.replaceWith(fresh);
    });
  }
  function refresh() {
    if (busy) return;
    busy = true;
    fetch(location.href, { cache: 'no-cache', credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html) swap(html); })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  var source = new EventSource(events);
  var root = document.documentElement;
  var opened = false;
  source.addEventListener('ready', function () {
    root.setAttribute('data-live', 'on');
    // A stream after the first: changes may have happened between the two.
    if (opened) refresh();
    opened = true;
  });
  source.addEventListener('error', function () { root.removeAttribute('data-live'); });
  source.addEventListener('changed', refresh);
  // Changes no event announces (a maintenance window starting) show within a minute.
  setInterval(refresh, 60000);
})();
