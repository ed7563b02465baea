// Makes docs/widget.png, the README's picture of the web chat widget: a throwaway hotline, the demo
// page in Debian's Chromium (playwright-core), the walkthrough's message and the bot's answer with
// its tracking code.   npm run docs:screenshot [-- OUT.png]
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO_MESSAGE, withThrowawayHotline } from './demo';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.resolve(process.argv[2] ?? path.join(__dirname, '../docs/widget.png'));
const byTestId = (id: string, attrs = '') => `[data-testid="${id}"]${attrs}`;

async function main(): Promise<void> {
  await withThrowawayHotline(async (baseUrl) => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/`);
      await page.click(byTestId('hotline-launcher'));
      await page.locator(byTestId('hotline-status', '[data-status="online"]')).waitFor();
      await page.fill(byTestId('hotline-input'), DEMO_MESSAGE);
      await page.click(byTestId('hotline-send'));
      const link = page.locator(byTestId('hotline-msg', '[data-from="bot"]')).locator(byTestId('hotline-code')).first();
      await link.waitFor();
      const code = /[A-Z]{2,4}-\d{2}-[A-Z0-9]{5}/.exec((await link.textContent()) ?? '')?.[0];
      if (!code) throw new Error('the bot answer carries no tracking code');
      // Start the picture at the person's message.
      await page.locator(byTestId('hotline-msg', '[data-from="person"]')).first().evaluate((el) => {
        // Scroll only the message list (scrollIntoView would move the panel itself).
        let list = el.parentElement;
        while (list && !(list.scrollHeight > list.clientHeight && /auto|scroll/.test(getComputedStyle(list).overflowY))) list = list.parentElement;
        if (list) list.scrollTop += el.getBoundingClientRect().top - list.getBoundingClientRect().top - 8;
      });
      await page.screenshot({ path: OUT, animations: 'disabled' });
      console.log(`wrote ${path.relative(process.cwd(), OUT)} (ticket ${code})`);
    } finally {
      await browser.close();
    }
  });
}

main().catch((err: unknown) => {
  console.error(`screenshot failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
