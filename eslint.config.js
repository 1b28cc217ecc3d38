import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".vantage/**", "shared/web/vendor/**", "coverage/**", "reports/**", ".stryker-tmp/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  // The CLI launcher is CommonJS so it runs before libuv's thread pool is first used (bin/vantage.cjs).
  { files: ["bin/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
);
