// The alert centre: budget alerts newest first, unread ones marked, with "mark read". The
// header's bell shows the unread count; both refresh when a write fires an alert.
import { listAlerts, markAlertRead, markAllAlertsRead, type Alert } from "../api";
import { h, replaceChildren } from "../dom";
import { messageOf } from "../forms";

/** Listeners told the new unread count (the header's badge). */
const unreadListeners = new Set<(unread: number) => void>();

export function onUnreadChange(listener: (unread: number) => void): void {
  unreadListeners.add(listener);
}

function announce(unread: number): void {
  for (const listener of unreadListeners) {
    listener(unread);
  }
}

/** Fetches the unread count for the badge. */
export async function refreshUnread(): Promise<void> {
  announce((await listAlerts()).unread);
}

function item(alert: Alert, reload: () => Promise<void>): HTMLElement {
  const unread = alert.readAt === null;
  const read = h("button", { type: "button", class: "link alert-item__read" }, "Mark read");
  read.addEventListener("click", () => {
    void markAlertRead(alert.id).then(reload);
  });
  return h(
    "li",
    {
      class: unread ? "alert-item alert-item--unread" : "alert-item",
      "data-alert-id": alert.id,
      "data-percent": alert.percent,
    },
    h("p", { class: "alert-item__body" }, alert.body),
    h(
      "p",
      { class: "alert-item__meta" },
      `${String(alert.threshold)} % threshold · ${new Date(alert.createdAt).toLocaleString()}`,
    ),
    unread ? read : null,
  );
}

/** The list; call the returned `reload` to (re)load it. */
export function alertList(): { element: HTMLElement; reload: () => Promise<void> } {
  const element = h("div", { class: "alert-centre", id: "alert-list" });
  async function reload(): Promise<void> {
    try {
      const { alerts, unread } = await listAlerts();
      announce(unread);
      if (alerts.length === 0) {
        replaceChildren(
          element,
          h(
            "p",
            { class: "empty-note" },
            "No alerts yet. When spending crosses a budget threshold, it shows here.",
          ),
        );
        return;
      }
      const all = h(
        "button",
        { type: "button", class: "link", id: "alerts-mark-all" },
        "Mark all read",
      );
      all.addEventListener("click", () => {
        void markAllAlertsRead().then(reload);
      });
      replaceChildren(
        element,
        unread > 0 ? all : null,
        h("ul", { class: "alert-items" }, ...alerts.map((a) => item(a, reload))),
      );
    } catch (error: unknown) {
      replaceChildren(element, h("p", { class: "form-banner" }, messageOf(error)));
    }
  }
  return { element, reload };
}
