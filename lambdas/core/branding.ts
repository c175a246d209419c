import { z } from 'zod';

/**
 * The platform's brand on every page and every email: product name, logo,
 * colors and the support and legal links. One JSON setting (BRAND_JSON, from
 * `loginbridge.branding` in cdk.json, or `.env` / `.env.local` locally).
 * White text sits on the primary color (buttons), so a primary color too light
 * for it is refused with the contrast it has.
 */
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const httpsUrl = z.url({ protocol: /^https$/, message: 'an https:// URL' });
const color = z.string().regex(HEX_COLOR, 'a color as #rrggbb');

/** WCAG 2.x relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two #rrggbb colors (1 to 21). */
export function contrastRatio(first: string, second: string): number {
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

export const brandSchema = z
  .object({
    productName: z.string().trim().min(1).max(60).default('LoginBridge'),
    logoUrl: httpsUrl.optional(),
    primaryColor: color.default('#1f4fd1'),
    accentColor: color.default('#1f4fd1'),
    supportUrl: httpsUrl.optional(),
    supportEmail: z.email().optional(),
    termsUrl: httpsUrl.optional(),
    privacyUrl: httpsUrl.optional(),
  })
  .strict()
  .superRefine((brand, context) => {
    const ratio = contrastRatio(brand.primaryColor, '#ffffff');
    if (ratio < MIN_CONTRAST)
      context.addIssue({
        code: 'custom',
        path: ['primaryColor'],
        message: `white button text on ${brand.primaryColor} has a contrast of ${ratio.toFixed(2)}:1; WCAG AA needs ${MIN_CONTRAST}:1, choose a darker color`,
      });
  });

export type Brand = z.infer<typeof brandSchema>;

export const DEFAULT_BRAND: Brand = brandSchema.parse({});

/** Where people get help: the support page, else a mailto: link, else nothing. */
export const supportLink = (brand: Brand): string | undefined => brand.supportUrl ?? (brand.supportEmail ? `mailto:${brand.supportEmail}` : undefined);

/** BRAND_JSON's text to a brand; '' or unset is the default brand; anything invalid throws with the reason. */
export function parseBrand(json: string | undefined): Brand {
  if (!json?.trim()) return DEFAULT_BRAND;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('BRAND_JSON is not JSON: give an object such as {"productName":"Acme ID","primaryColor":"#0b5394"}');
  }
  const parsed = brandSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`BRAND_JSON: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'brand'}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
