// TEMPORARY trace version.
const marks = [];
const mark = (name) => marks.push(`${name}=${(performance.timeOrigin + performance.now()).toFixed(1)}`);
mark("script runs");
let frames = 0;
const loop = () => {
  mark(`frame${frames}`);
  if (++frames < 40) requestAnimationFrame(loop);
};
requestAnimationFrame(loop);
requestAnimationFrame(() => {
  mark("rAF");
  setTimeout(() => {
    mark("timeout");
    const nav = performance.getEntriesByType("navigation")[0];
    for (const key of ["fetchStart", "responseEnd", "domContentLoadedEventStart", "loadEventStart"]) {
      marks.push(`nav.${key}=${(performance.timeOrigin + nav[key]).toFixed(1)}`);
    }
    void window.__TAURI_INTERNALS__.invoke("page_shown", { marks: marks.join(",") });
  }, 0);
});
