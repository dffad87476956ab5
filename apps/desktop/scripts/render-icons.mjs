// Renders build/icon.svg into the PNG icon set electron-builder packages, and assembles the
// Windows icon.ico from those PNGs by hand (ICO with PNG-compressed entries, readable since
// Windows Vista). Run after editing the SVG: `node apps/desktop/scripts/render-icons.mjs`;
// the outputs are committed, so packaging needs no browser.
//
//   build/icon.png          1024×1024 (macOS: electron-builder derives the .icns from it)
//   build/icons/NxN.png     16…1024 (Linux: AppImage/deb take the folder)
//   build/icon.ico          16, 24, 32, 48, 64, 128, 256 (Windows: nsis and the exe)
//
// Chromium: CHROMIUM_PATH, else /usr/bin/chromium (playwright-core drives it headless).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.resolve(here, '..', 'build');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/**
 * ICONDIR (6 bytes) + one ICONDIRENTRY (16 bytes) per image + the PNG files as they are.
 * Width/height 0 means 256.
 */
export function assembleIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

async function main() {
  const svg = await readFile(path.join(buildDir, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    await mkdir(path.join(buildDir, 'icons'), { recursive: true });
    const pngs = new Map();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">` +
          svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`) +
          `</body></html>`,
      );
      const png = await page.locator('svg').screenshot({ omitBackground: true });
      pngs.set(size, png);
      await writeFile(path.join(buildDir, 'icons', `${size}x${size}.png`), png);
    }
    await writeFile(path.join(buildDir, 'icon.png'), pngs.get(1024));
    const ico = assembleIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) })));
    await writeFile(path.join(buildDir, 'icon.ico'), ico);
    console.log(
      `icons: ${SIZES.join(', ')} px and icon.ico (${ICO_SIZES.join(', ')}) in ${buildDir}`,
    );
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
