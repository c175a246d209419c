import * as z from 'zod';

/** POST /sso/acronis: an optional target; `targetURI` (Acronis's own spelling) is an alias. */
export const acronisBody = z.preprocess(
  (value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (record.target_uri === undefined && record.targetURI !== undefined) return { ...record, target_uri: record.targetURI };
    }
    return value;
  },
  z.object({
    target_uri: z.string({ error: 'target_uri must be a URL string.' }).trim().max(2048, 'This target is too long.').optional(),
  }),
);
