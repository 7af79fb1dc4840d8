// The progress of a review or import: a bar with the counts, and Cancel (an import cancelled
// saves nothing).
import type { ImportProgress } from "../api";
import { h } from "../dom";
import { formatCount } from "../format";

export interface ProgressBar {
  element: HTMLElement;
  /** Shows the bar, with `what` until the first report comes. */
  start(what: string): void;
  report: (progress: ImportProgress) => void;
  stop(): void;
}

export function progressBar(cancel: () => void): ProgressBar {
  const bar = h("progress", {
    id: "statement-progress-bar",
    "aria-labelledby": "statement-progress-text",
  });
  const text = h("span", { id: "statement-progress-text" });
  const cancelButton = h("button", { type: "button", id: "statement-cancel" }, "Cancel");
  cancelButton.addEventListener("click", () => {
    cancelButton.disabled = true;
    text.textContent = "Stopping…";
    cancel();
  });
  const element = h(
    "div",
    { class: "statement-progress", id: "statement-progress", role: "status", hidden: true },
    bar,
    text,
    cancelButton,
  );
  return {
    element,
    start(what) {
      // No value: an indeterminate bar until the total is known.
      bar.removeAttribute("value");
      bar.removeAttribute("max");
      text.textContent = what;
      cancelButton.disabled = false;
      element.hidden = false;
    },
    report(progress) {
      if (progress.phase === "reading") {
        bar.removeAttribute("value");
        text.textContent = `Read ${formatCount(progress.lines)} lines…`;
      } else {
        bar.max = Math.max(progress.total, 1);
        bar.value = progress.saved;
        text.textContent = `Saved ${formatCount(progress.saved)} of ${formatCount(progress.total)} expenses…`;
      }
    },
    stop() {
      element.hidden = true;
    },
  };
}
