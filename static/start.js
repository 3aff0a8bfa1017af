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

// The rest of the app (`data-rest`, written by tools/wasm_split.py): the code the first view
// does not run (the Console's Kafka tools, lessons, import and export, the EDA vs SOA and
// WordCount views). The module loaded first calls `split.load` before any of that code runs;
// the rest is normally fetched in the background once the app has started, and if it is needed
// before it has arrived it is loaded there and then, with a synchronous request.
const split = {
  url: null,
  primary: null,
  rest: null,
  // The module of the view the address names (`data-views`, written by tools/wasm_split.py):
  // the functions of the rest that view runs first, linked before the app starts.
  view: null,
  viewModule: null,
  // Chosen by the first call of a moved function, or by the background fetch (see `prefetch`).
  link(module) {
    if (!split.rest) {
      split.rest = new WebAssembly.Instance(module, { p: split.primary.exports });
    }
  },
  // `slot`: the function table slot of the moved function called (tools/wasm_split.py lists
  // which function each slot holds in target/wasm-split.txt).
  load(slot) {
    if (split.rest) {
      return;
    }
    split.neededBy = slot;
    const request = new XMLHttpRequest();
    request.open('GET', split.url, false);
    // A synchronous request cannot ask for an ArrayBuffer: read the bytes as x-user-defined text.
    request.overrideMimeType('text/plain; charset=x-user-defined');
    request.send();
    if (request.status !== 200) {
      // The page cannot go on without it: say so, as for any other stop.
      const error = new Error(`could not load ${split.url}: HTTP ${request.status}`);
      showBanner(error);
      throw error;
    }
    const text = request.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i) & 0xff;
    }
    split.link(new WebAssembly.Module(bytes));
    split.syncLoads += 1;
  },
  // The rest (or `url`), fetched and compiled in the background.
  compile(url = split.url) {
    return fetch(url).then((response) => {
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      return WebAssembly.compileStreaming(response);
    });
  },
  // A background fetch that failed leaves the rest to `load`, when it is needed.
  deferred(error) {
    console.warn(`eda-playground: ${split.url} will load when needed:`, error);
  },
  prefetch() {
    split.compile().then(split.link).catch(split.deferred);
  },
  syncLoads: 0,
  neededBy: null,
  // The build `./run.sh split-profile` makes reports each function's first call here (the
  // index of tools/wasm_split.py's functions.txt): what the view run in it needs first.
  hit(index) {
    split.hits.push(index);
  },
  hits: [],
};
window.__edaSplit = split;

// The view the address names (`playground` for a bare address).
function firstView() {
  return location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'playground';
}

// The views that have a module of their own: `console:./NAME_console.wasm,...`.
function viewModules(attribute) {
  const modules = new Map();
  for (const entry of (attribute || '').split(',')) {
    const at = entry.indexOf(':');
    if (at > 0) {
      modules.set(entry.slice(0, at), new URL(entry.slice(at + 1), document.baseURI).href);
    }
  }
  return modules;
}

// Adds the `split` import to the one instantiation wasm-bindgen's start-up does, and keeps
// the instance (the rest links against its exports). `first`: what to link before the app
// starts — { view } (the view's module, compiled) or { rest } (the rest's) — or null.
function withSplitImports(run, first) {
  const { instantiate, instantiateStreaming } = WebAssembly;
  const keep = async (result) => {
    split.primary = result.instance || result;
    try {
      if (first && first.view) {
        // Its functions fill their slots; what else it calls loads the rest when needed.
        const module = await first.view;
        split.viewModule = new WebAssembly.Instance(module, { p: split.primary.exports });
      } else if (first && first.rest) {
        split.link(await first.rest);
      }
    } catch (error) {
      split.deferred(error);
    }
    return result;
  };
  const addImports = (imports) => ({ ...imports, split: { load: split.load, hit: split.hit } });
  WebAssembly.instantiate = (source, imports) =>
    instantiate(source, addImports(imports)).then(keep);
  WebAssembly.instantiateStreaming = (source, imports) =>
    instantiateStreaming(source, addImports(imports)).then(keep);
  return run().finally(() => {
    WebAssembly.instantiate = instantiate;
    WebAssembly.instantiateStreaming = instantiateStreaming;
  });
}

const script = document.querySelector('script[data-js][data-wasm]');
try {
  const bindings = await import(new URL(script.dataset.js, document.baseURI).href);
  const start = () => bindings.default({ module_or_path: script.dataset.wasm });
  // The Playground starts on the first module alone; another view with a module of its own
  // starts with that one beside it; any other view with the rest beside it.
  let first = null;
  if (script.dataset.rest) {
    split.url = new URL(script.dataset.rest, document.baseURI).href;
    const view = firstView();
    const own = viewModules(script.dataset.views).get(view);
    if (own) {
      split.view = view;
      first = { view: split.compile(own) };
    } else if (view !== 'playground') {
      first = { rest: split.compile() };
    }
  }
  const wasm = await withSplitImports(start, first);
  if (split.url && !split.rest) {
    split.prefetch();
  }
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  console.error('eda-playground could not start:', error);
  showBanner(error);
}
