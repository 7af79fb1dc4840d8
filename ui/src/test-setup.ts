// Runs before each test file (vitest.config.ts). Gives the modules under test what the
// webview gives them at load time and Node does not (Node 20 has no `navigator`), with a
// known answer, so the results do not depend on the machine's language.
import { vi } from "vitest";

vi.stubGlobal("navigator", { languages: ["en-US"] });
