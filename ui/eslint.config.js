import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Plain scripts outside the TypeScript project: the config, and the files Vite copies
    // as they are (public/start.js is a stand-in the shell replaces).
    files: ["eslint.config.js", "public/**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
