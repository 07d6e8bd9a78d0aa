import { getEncodedBits } from 'qrcode/lib/core/format-info';

/** A QR symbol's modules as the qrcode package lays them out: row-major, 1 for dark, function patterns reserved. */
export interface Modules {
  size: number;
  data: Uint8Array;
  reservedBit: Uint8Array;
}

const MEDIUM = { bit: 0 };

/** The mask patterns of ISO/IEC 18004, numbered as the qrcode package does: true where a module flips. */
function flips(mask: number, row: number, col: number): boolean {
  switch (mask) {
    case 0:
      return (row + col) % 2 === 0;
    case 1:
      return row % 2 === 0;
    case 2:
      return col % 3 === 0;
    case 3:
      return (row + col) % 3 === 0;
    case 4:
      return (Math.floor(row / 2) + Math.floor(col / 3)) % 2 === 0;
    case 5:
      return ((row * col) % 2) + ((row * col) % 3) === 0;
    case 6:
      return (((row * col) % 2) + ((row * col) % 3)) % 2 === 0;
    default:
      return (((row * col) % 3) + ((row + col) % 2)) % 2 === 0;
  }
}

/** Writes the 15 format bits (medium error correction, `mask`) at the places the qrcode package uses. */
function writeFormat(cells: Uint8Array, size: number, mask: number): void {
  const bits = getEncodedBits(MEDIUM, mask);
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    cells[row * size + 8] = bit;
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i;
    cells[8 * size + col] = bit;
  }
  cells[(size - 8) * size + 8] = 1;
}

/** Every mask repeats every 12 modules both ways: 12×12 tiles of 1 where it flips, one per mask. */
let tiles: Uint8Array | null = null;
function maskTiles(): Uint8Array {
  if (tiles) return tiles;
  tiles = new Uint8Array(8 * 144);
  for (let mask = 0, index = 0; mask < 8; mask++) {
    for (let row = 0; row < 12; row++) for (let col = 0; col < 12; col++) tiles[index++] = +flips(mask, row, col);
  }
  return tiles;
}

/** Sets `target` to `modules` masked with `to` instead of `from`, format bits included. */
export function remask(modules: Modules, from: number, to: number, target: Uint8Array = modules.data): void {
  const { size, data, reservedBit } = modules;
  const tile = maskTiles();
  for (let row = 0, index = 0; row < size; row++) {
    const fromRow = from * 144 + (row % 12) * 12;
    const toRow = to * 144 + (row % 12) * 12;
    for (let col = 0, inTile = 0; col < size; col++, index++) {
      const cell = data[index] as number;
      target[index] = reservedBit[index] ? cell : cell ^ (tile[fromRow + inTile] as number) ^ (tile[toRow + inTile] as number);
      inTile = inTile === 11 ? 0 : inTile + 1;
    }
  }
  writeFormat(target, size, to);
}

/**
 * The penalty of ISO/IEC 18004 §7.8.3 (runs, 2×2 blocks, finder-like patterns, dark balance), scored as
 * the qrcode package scores it, so that the lowest one picks the same mask. One pass reads each row
 * and the column of the same number together; it is written for an engine that has not compiled it yet.
 */
export function penalty(cells: Uint8Array, size: number): number {
  let runs = 0;
  let patterns = 0;
  let blocks = 0;
  let dark = 0;
  for (let line = 0; line < size; line++) {
    const rowStart = line * size;
    const below = line < size - 1 ? rowStart + size : -1;
    let rowRun = 0;
    let colRun = 0;
    let rowLast = -1;
    let colLast = -1;
    let rowBits = 0;
    let colBits = 0;
    let pair = below < 0 ? 0 : (cells[rowStart] as number) + (cells[below] as number);
    for (let along = 0, colIndex = line; along < size; along++, colIndex += size) {
      const inRow = cells[rowStart + along] as number;
      const inCol = cells[colIndex] as number;
      dark += inRow;
      // A run of five or more same-coloured modules costs 3, plus 1 per module beyond five.
      if (inRow === rowLast) rowRun++;
      else {
        if (rowRun >= 5) runs += rowRun - 2;
        rowLast = inRow;
        rowRun = 1;
      }
      if (inCol === colLast) colRun++;
      else {
        if (colRun >= 5) runs += colRun - 2;
        colLast = inCol;
        colRun = 1;
      }
      // 1:1:3:1:1 with four light modules on either side, read as 11-bit windows.
      rowBits = ((rowBits << 1) & 0x7ff) | inRow;
      colBits = ((colBits << 1) & 0x7ff) | inCol;
      if (along >= 10) {
        if (rowBits === 0x5d0 || rowBits === 0x05d) patterns++;
        if (colBits === 0x5d0 || colBits === 0x05d) patterns++;
      }
      // A 2×2 block of one colour: this column's pair with the next one's.
      if (below >= 0 && along < size - 1) {
        const next = (cells[rowStart + along + 1] as number) + (cells[below + along + 1] as number);
        if ((pair === 0 && next === 0) || (pair === 2 && next === 2)) blocks++;
        pair = next;
      }
    }
    if (rowRun >= 5) runs += rowRun - 2;
    if (colRun >= 5) runs += colRun - 2;
  }
  const balance = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return runs + blocks * 3 + patterns * 40 + balance * 10;
}

/** The mask with the lowest penalty, the first on a tie, for modules currently masked with `current`. */
export function bestMask(modules: Modules, current: number): number {
  const cells = new Uint8Array(modules.data.length);
  let best = 0;
  let lowest = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    remask(modules, current, mask, cells);
    const points = penalty(cells, modules.size);
    if (points < lowest) {
      lowest = points;
      best = mask;
    }
  }
  return best;
}
