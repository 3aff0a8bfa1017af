// eda-playground's start-up, as an external module so the page runs under a strict
// Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'`: no inline script).
//
// Trunk writes the <script> tag that loads this file (Trunk.toml `pattern_script`) with the
// hashed names of the wasm-bindgen JS and the wasm module in `data-js` and `data-wasm`.
//
// It also handles the Reload button of the panic banner (`src/ui/panic.rs`): one listener on the
// document, registered before wasm starts, so the button needs no inline `onclick` (which the
// policy refuses) and no call into a wasm instance that has just aborted.

const BANNER_ID = 'panic-banner';

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (target && target.closest(`#${BANNER_ID} button[data-action="reload"]`)) {
    location.reload();
  }
});

const script = document.querySelector('script[data-js][data-wasm]');
try {
  const bindings = await import(new URL(script.dataset.js, document.baseURI).href);
  const wasm = await bindings.default({ module_or_path: script.dataset.wasm });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  console.error('eda-playground could not start:', error);
}
