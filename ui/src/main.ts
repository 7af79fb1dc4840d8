import { appInfo } from "./api";

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) {
    throw new Error(`index.html lacks #${id}`);
  }
  return found;
}

async function showAppInfo(): Promise<void> {
  try {
    const info = await appInfo();
    element("app-version").textContent = info.version;
    element("database-path").textContent = info.databasePath;
  } catch (error: unknown) {
    const banner = element("app-error");
    banner.textContent = error instanceof Error ? error.message : String(error);
    banner.hidden = false;
  }
}

void showAppInfo();
