// Paint the chosen theme before the app loads, so a dark page does not flash light. A file
// of its own rather than inline, because the page's Content-Security-Policy allows only the
// app's own scripts.
try {
  var theme = JSON.parse(localStorage.getItem('watchdeck.settings') || '{}').state?.theme
  var dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches)
  if (dark) document.documentElement.classList.add('dark')
} catch (e) {}
