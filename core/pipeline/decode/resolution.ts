/** Which resolution to believe for an image. */

/** Outside this range a file's resolution is a placeholder (72 DPI cameras, 1 DPI writers), not a scan's. */
const PLAUSIBLE_DPI = { min: 100, max: 4800 };

export interface Resolution {
  dpi: number;
  assumed: boolean;
}

export function resolveDpi(declared: number | undefined, assumeDpi: number): Resolution {
  if (declared !== undefined && Number.isFinite(declared) && declared >= PLAUSIBLE_DPI.min && declared <= PLAUSIBLE_DPI.max) {
    return { dpi: declared, assumed: false };
  }
  return { dpi: assumeDpi, assumed: true };
}
