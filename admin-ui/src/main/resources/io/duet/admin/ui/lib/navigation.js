// Moving between pages without importing app.js: go to a page, render the current one again, and the render
// generation (each render starts a new one; a page that loaded for an older one is dropped, its refresh stopped).
let renderer = () => {};
let generation = 0;
let timer = null; // the shown page's refresh (the dashboard's)

/** app.js registers its render loop here once, at start. */
export function setRenderer(fn) {
  renderer = fn;
}

/** Renders the page of the current location again. */
export const render = () => renderer();

export function go(hash) {
  if (location.hash === hash) render(); else location.hash = hash;
}

/** Starts a render: stops the shown page's refresh; returns the new generation. */
export function beginRender() {
  clearInterval(timer);
  return ++generation;
}

export const currentGeneration = () => generation;

/** True while no render began after the one of generation mine. */
export const isCurrent = mine => mine === generation;

/** Calls refresh every ms until the next render, unless a render began after the one of generation mine. */
export function refreshEvery(mine, refresh, ms) {
  if (mine === generation) {
    clearInterval(timer);
    timer = setInterval(refresh, ms);
  }
}
