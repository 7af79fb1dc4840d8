// Building DOM without innerHTML: strings only ever become text nodes, so a description such
// as `<img src=x onerror=alert(1)>` shows as text. Attributes go through setAttribute, and
// `style` is never set here because the CSP (style-src 'self') refuses inline style attributes.

/** An attribute value: false/null/undefined leave it out, true sets it empty. */
export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue>;
export type Child = Node | string | null | undefined | false;

/** `h("button", { class: "primary", type: "button" }, "Save")`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children; strings become text nodes, falsy values are skipped. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** The element with `id`, checked to be of `type`; a missing hook is a bug, so it throws. */
export function byId<T extends HTMLElement>(
  id: string,
  type: abstract new () => T,
  root: ParentNode = document,
): T {
  const found = root.querySelector(`#${CSS.escape(id)}`);
  if (!(found instanceof type)) {
    throw new Error(`#${id} is missing or not a ${type.name}`);
  }
  return found;
}

/** An `<option>`; the label goes in as text. */
export function option(value: string, label: string, selected = false): HTMLOptionElement {
  return new Option(label, value, selected, selected);
}

/** Calls `run` at most once per `wait` ms after the last call (search-as-you-type). */
export function debounce<A extends unknown[]>(
  run: (...args: A) => void,
  wait: number,
): (...args: A) => void {
  let timer: number | undefined;
  return (...args: A) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      run(...args);
    }, wait);
  };
}

/** True when a key press is meant for a text field, not for the app's shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) {
    return true;
  }
  if (target instanceof HTMLSelectElement) {
    return true;
  }
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset", "color"].includes(target.type);
  }
  return false;
}
