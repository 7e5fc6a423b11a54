/**
 * Test helper: headless Chromium from the Debian package `chromium`, driven by
 * playwright-core (which downloads no browser). `CHROMIUM_MISSING` names why
 * the browser tests are skipped, or is null when a chromium is on PATH (or
 * named by CHROMIUM_PATH). Screenshots go to `test-artifacts/browser/` at the
 * project root (ignored by git).
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const executablePath = findChromium();

export const CHROMIUM_MISSING = executablePath === undefined ? 'chromium is not on PATH (apt-get install -y chromium, or set CHROMIUM_PATH)' : null;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: executablePath!, headless: true, args: ['--no-sandbox'] });
}

/** The folder screenshots are written to, made on first use. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../test-artifacts/browser/', import.meta.url));

/** Saves a screenshot of the page as `<name>.png` in the artifacts folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`) });
}
