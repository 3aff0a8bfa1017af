// eda-playground's start-up, as an external module so the page runs under a strict
// Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'`: no inline script).
//
// Trunk writes the <script> tag that loads this file (Trunk.toml `pattern_script`) with the
// hashed names of the wasm-bindgen JS and the wasm module in `data-js` and `data-wasm`.
//
// It also owns the panic banner's last line of defence, in plain JS so that it works whatever
// state the wasm instance was left in:
// - the Reload button of `#panic-banner` (drawn by `src/ui/panic.rs` or below) is handled by one
//   listener on the document, registered before wasm starts: no inline `onclick`, no wasm call;
// - a wasm trap that no panic hook reported (out of memory, a panic inside the panic hook, a
//   trap in a callback after the instance aborted) reaches `window` as an `error` or an
//   `unhandledrejection` carrying a `WebAssembly.RuntimeError`: the banner is drawn from here.

const BANNER_ID = 'panic-banner';

function showBanner(details) {
  if (document.getElementById(BANNER_ID)) {
    return;
  }
  const banner = document.createElement('div');
  banner.id = BANNER_ID;
  banner.className = 'panic-banner';
  banner.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent =
    'Something went wrong and the playground stopped. Reloading starts it again.';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.dataset.action = 'reload';
  reload.textContent = 'Reload';
  const pre = document.createElement('pre');
  pre.textContent = String(details).slice(0, 2000);
  banner.append(text, reload, pre);
  document.body.insertBefore(banner, document.body.firstChild);
}

function isTrap(error) {
  return typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (target && target.closest(`#${BANNER_ID} button[data-action="reload"]`)) {
    location.reload();
  }
});
window.addEventListener('error', (event) => {
  if (isTrap(event.error)) {
    showBanner(event.error);
  }
});
window.addEventListener('unhandledrejection', (event) => {
  if (isTrap(event.reason)) {
    showBanner(event.reason);
  }
});

const script = document.querySelector('script[data-js][data-wasm]');
try {
  const bindings = await import(new URL(script.dataset.js, document.baseURI).href);
  const wasm = await bindings.default({ module_or_path: script.dataset.wasm });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  console.error('eda-playground could not start:', error);
  showBanner(error);
}
