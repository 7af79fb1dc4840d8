// TEMPORARY start-up trace (investigation only; not to be committed).
const marks: string[] = [];
export function mark(name: string): void {
  marks.push(`${name}=${(performance.timeOrigin + performance.now()).toFixed(1)}`);
}
// Finds main-thread stalls: a chain of message-channel tasks; gaps over 8 ms are recorded.
let last = performance.now();
let ticking = true;
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  const now = performance.now();
  if (now - last > 8) {
    marks.push(`stall-from=${(performance.timeOrigin + last).toFixed(1)}`);
    marks.push(`stall-to=${(performance.timeOrigin + now).toFixed(1)}`);
  }
  last = now;
  if (ticking) {
    channel.port2.postMessage(0);
  }
};
channel.port2.postMessage(0);

export function marksText(): string {
  ticking = false;
  for (const p of performance.getEntriesByType("paint")) {
    marks.push(`paint.${p.name}=${(performance.timeOrigin + p.startTime).toFixed(1)}`);
  }
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const all = [...marks];
  if (nav !== undefined) {
    for (const key of ["fetchStart", "responseEnd", "domInteractive", "domContentLoadedEventStart", "loadEventStart"] as const) {
      all.push(`nav.${key}=${(performance.timeOrigin + nav[key]).toFixed(1)}`);
    }
  }
  all.push(`timeOrigin=${performance.timeOrigin.toFixed(1)}`);
  for (const r of performance.getEntriesByType("resource") as PerformanceResourceTiming[]) {
    all.push(`res.${r.name.split("/").pop() ?? ""}.start=${(performance.timeOrigin + r.startTime).toFixed(1)}`);
    all.push(`res.${r.name.split("/").pop() ?? ""}.end=${(performance.timeOrigin + r.responseEnd).toFixed(1)}`);
  }
  return all.join(",");
}
