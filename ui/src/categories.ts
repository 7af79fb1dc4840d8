// The user's categories, loaded once after sign-in and again after any change to them, so
// list rows and pickers can name a category without asking the core each time.
import { listCategories, type Category, type Id } from "./api";
import { option } from "./dom";

let all: Category[] = [];
let byId = new Map<Id, Category>();

/** Fetches the categories afresh (parents before their children, as the core sends them). */
export async function loadCategories(): Promise<readonly Category[]> {
  useCategories(await listCategories());
  return all;
}

/** Takes `list` as the user's categories (fetched, or handed over at start). */
export function useCategories(list: Category[]): void {
  all = list;
  byId = new Map(all.map((category) => [category.id, category]));
}

export function categories(): readonly Category[] {
  return all;
}

export function categoryById(id: Id): Category | undefined {
  return byId.get(id);
}

/** "Groceries" or, for a child shown out of its tree, "Food › Groceries". */
export function categoryName(id: Id, withParent = false): string {
  const category = byId.get(id);
  if (category === undefined) {
    return "Unknown category";
  }
  const parent = category.parentId === null ? undefined : byId.get(category.parentId);
  return withParent && parent !== undefined ? `${parent.name} › ${category.name}` : category.name;
}

/** Parents in the core's order, each followed by its children. */
export function categoryTree(includeArchived: boolean): { category: Category; depth: number }[] {
  const visible = all.filter((category) => includeArchived || !category.archived);
  const tree: { category: Category; depth: number }[] = [];
  for (const parent of visible.filter((category) => category.parentId === null)) {
    tree.push({ category: parent, depth: 0 });
    for (const child of visible.filter((category) => category.parentId === parent.id)) {
      tree.push({ category: child, depth: 1 });
    }
  }
  return tree;
}

/**
 * Fills `select` with the category tree, children indented under their parents, after the
 * options already in `leading` (such as "All categories"). Keeps `selected` selected.
 */
export function fillCategorySelect(
  select: HTMLSelectElement,
  leading: HTMLOptionElement[],
  selected: Id | null,
  includeArchived = false,
): void {
  select.replaceChildren(...leading);
  for (const { category, depth } of categoryTree(includeArchived)) {
    // A select cannot be styled per option under every webview, so the indent is text:
    // non-breaking spaces the screen reader skips, and the archived mark in words.
    const indent = depth > 0 ? "\u00a0\u00a0\u00a0\u00a0" : "";
    const archived = category.archived ? " (archived)" : "";
    select.append(option(category.id, `${indent}${category.name}${archived}`));
  }
  const current = selected === null ? undefined : byId.get(selected);
  if (current !== undefined) {
    // An old expense may sit in a category archived since: still show what it is in.
    if (!Array.from(select.options).some((item) => item.value === current.id)) {
      select.append(option(current.id, `${categoryName(current.id, true)} (archived)`));
    }
    select.value = current.id;
  }
}
