// Categories: create (top level or under a parent), rename, recolour, archive/restore and
// merge one into another. Sub-categories sit indented under their parent.
import {
  AppError,
  archiveCategory,
  createCategory,
  mergeCategories,
  updateCategory,
  type Category,
  type CategoryInput,
} from "../api";
import { categoryName, categoryTree, categories, loadCategories } from "../categories";
import { confirmAction } from "../components/confirm-dialog";
import { showNotice } from "../components/toast";
import { h, option } from "../dom";
import { formatCount } from "../format";
import {
  clearErrors,
  field,
  fieldError,
  input,
  select,
  showError,
  showFieldError,
  valueOrNull,
} from "../forms";
import type { AppContext, Screen } from "./screen";

/** A duplicate name comes back as a conflict, not as a field error, but it is about the name. */
function aboutName(error: unknown): unknown {
  return error instanceof AppError && error.kind === "conflict"
    ? new AppError("invalid", error.message, "name")
    : error;
}

export function categoriesScreen(context: AppContext): Screen {
  let list: HTMLUListElement | null = null;
  let parentSelect: HTMLSelectElement | null = null;

  function fillParents(): void {
    if (parentSelect === null) {
      return;
    }
    const chosen = parentSelect.value;
    parentSelect.replaceChildren(
      option("", "None (top level)"),
      ...categories()
        .filter((category) => category.parentId === null && !category.archived)
        .map((category) => option(category.id, category.name)),
    );
    parentSelect.value = chosen;
    if (parentSelect.selectedIndex < 0) {
      parentSelect.value = "";
    }
  }

  async function reload(): Promise<void> {
    await loadCategories();
    fillParents();
    list?.replaceChildren(...categoryTree(true).map(({ category, depth }) => row(category, depth)));
  }

  // Runs a change, then shows the fresh list; an error lands in the row's slot when it names
  // a field shown there, else in the banner.
  async function change(scope: HTMLElement, action: () => Promise<unknown>): Promise<boolean> {
    clearErrors(scope);
    try {
      await action();
      await reload();
      return true;
    } catch (error: unknown) {
      if (!showFieldError(scope, aboutName(error))) {
        context.showBanner(error);
      }
      return false;
    }
  }

  function inputFor(category: Category, name: string, colour: string | null): CategoryInput {
    return { name, parentId: category.parentId, colour };
  }

  function startRename(item: HTMLElement, category: Category, nameText: HTMLElement): void {
    const editor = input(`rename-${category.id}`, {
      type: "text",
      class: "category-rename",
      value: category.name,
      maxlength: 60,
      "aria-label": `New name for ${category.name}`,
      "aria-describedby": `category-error-${category.id}`,
    });
    nameText.replaceWith(editor);
    editor.focus();
    editor.select();
    let done = false;
    const finish = (save: boolean): void => {
      if (done) {
        return;
      }
      done = true;
      if (save && editor.value.trim() !== category.name) {
        void change(item, () =>
          updateCategory(category.id, inputFor(category, editor.value, null)),
        ).then((saved) => {
          // Refused (a duplicate name, say): the editor stays, with the reason beside it.
          done = saved;
        });
      } else {
        editor.replaceWith(nameText);
      }
    };
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        finish(true);
      } else if (event.key === "Escape") {
        // Esc cancels the rename only, not whatever dialog or screen is around it.
        event.preventDefault();
        event.stopPropagation();
        finish(false);
      }
    });
    editor.addEventListener("blur", () => {
      finish(true);
    });
  }

  function startMerge(item: HTMLElement, category: Category, tools: HTMLElement): void {
    const target = select(`merge-${category.id}`, {
      "aria-label": `Merge ${category.name} into`,
      class: "category-merge-target",
    });
    target.append(
      option("", "Merge into…"),
      ...categoryTree(false)
        .filter(({ category: other }) => other.id !== category.id)
        .map(({ category: other, depth }) =>
          option(other.id, `${depth > 0 ? "\u00a0\u00a0\u00a0\u00a0" : ""}${other.name}`),
        ),
    );
    const go = h("button", { type: "button", class: "danger" }, "Merge");
    const cancel = h("button", { type: "button", class: "quiet" }, "Cancel");
    const picker = h("span", { class: "category-merge" }, target, go, cancel);
    tools.replaceWith(picker);
    target.focus();
    cancel.addEventListener("click", () => {
      picker.replaceWith(tools);
    });
    go.addEventListener("click", () => {
      const into = target.value;
      if (into === "") {
        target.focus();
        return;
      }
      void (async () => {
        const sure = await confirmAction({
          title: `Merge “${category.name}”?`,
          message: `Its expenses, budgets and sub-categories move to “${categoryName(into, true)}”, and “${category.name}” is removed. This cannot be undone.`,
          confirmLabel: "Merge",
        });
        if (sure) {
          await change(item, async () => {
            const moved = await mergeCategories(category.id, into);
            showNotice(
              `Merged: ${formatCount(moved)} ${moved === 1 ? "expense" : "expenses"} moved.`,
            );
          });
        }
      })();
    });
  }

  function row(category: Category, depth: number): HTMLLIElement {
    const colour = input(`colour-${category.id}`, {
      type: "color",
      value: category.colour,
      class: "category-colour",
      "aria-label": `Colour of ${category.name}`,
    });
    const nameText = h("span", { class: "category-name" }, category.name);
    const rename = h("button", { type: "button", class: "quiet" }, "Rename");
    const archive = h(
      "button",
      { type: "button", class: "quiet category-archive" },
      category.archived ? "Restore" : "Archive",
    );
    const merge = h("button", { type: "button", class: "quiet" }, "Merge into…");
    const tools = h("span", { class: "category-tools" }, rename, archive, merge);
    const item = h(
      "li",
      {
        class: `category-row${depth > 0 ? " category-row--child" : ""}${category.archived ? " category-row--archived" : ""}`,
        "data-id": category.id,
      },
      colour,
      h(
        "span",
        { class: "category-label" },
        nameText,
        category.archived ? h("span", { class: "badge" }, "Archived") : null,
      ),
      tools,
      fieldError("name", `category-error-${category.id}`),
    );
    // Merge refusals name the field "category"; show them in the same slot.
    item.append(fieldError("category", `category-merge-error-${category.id}`));
    colour.addEventListener("change", () => {
      void change(item, () =>
        updateCategory(category.id, inputFor(category, category.name, colour.value)),
      );
    });
    rename.addEventListener("click", () => {
      startRename(item, category, nameText);
    });
    archive.addEventListener("click", () => {
      void change(item, () => archiveCategory(category.id, !category.archived));
    });
    merge.addEventListener("click", () => {
      startMerge(item, category, tools);
    });
    return item;
  }

  return {
    async mount(root) {
      const name = input("category-name", {
        type: "text",
        maxlength: 60,
        autocomplete: "off",
        required: true,
        placeholder: "e.g. Pets",
      });
      parentSelect = select("category-parent");
      const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
      const add = h(
        "button",
        { type: "submit", class: "primary", id: "category-add" },
        "Add category",
      );
      const form = h(
        "form",
        {
          class: "card inline-form",
          id: "category-form",
          "aria-label": "New category",
          novalidate: true,
        },
        field("Name", name, "name"),
        field("Inside", parentSelect, "parentId"),
        h("div", { class: "inline-form__actions" }, add),
        banner,
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        clearErrors(form);
        banner.hidden = true;
        void (async () => {
          try {
            await createCategory({
              name: name.value,
              parentId: valueOrNull(parentSelect ?? name),
              colour: null,
            });
            name.value = "";
            await reload();
            name.focus();
          } catch (error: unknown) {
            showError(form, aboutName(error), banner);
          }
        })();
      });
      list = h("ul", {
        class: "category-list card",
        id: "category-list",
        "aria-label": "Categories",
      });
      root.append(
        h("div", { class: "screen-head" }, h("h1", {}, "Categories")),
        h(
          "p",
          { class: "muted screen-intro" },
          "Archived categories stay on old expenses but are not offered for new ones. Merging moves everything into another category.",
        ),
        form,
        list,
      );
      await reload();
    },
    refresh: reload,
    unmount() {
      list = null;
      parentSelect = null;
    },
  };
}
