import { DynamoPartnerClaimStore } from '../adapters/dynamo/partner-claim-store';
import { AcronisClient } from '../adapters/partners/acronis-client';
import { ASTRATO_DEFAULT_BASE_URL, AstratoClient } from '../adapters/partners/astrato-client';
import { partnerCredentialSource } from '../adapters/partners/sources';
import { settings } from '../config';
import { systemClock } from '../core/clock';
import { SSO_PARTNER_NAMES } from '../core/partners';
import { AcronisHandoff } from '../core/sso/acronis';
import { AstratoHandoff } from '../core/sso/astrato';
import { PARTNER_SECRET_ENV } from '../routes';
import { credentialStore, documentClient, once, partnerHttpOptions, tableName } from './shared';

/** SSO hand-offs (docs/sso.md). Partner clients keep their token caches per instance; hand-off settings are read per call. */

export const astratoClient = /* @__PURE__ */ once(
  () =>
    new AstratoClient(
      partnerCredentialSource({
        partner: SSO_PARTNER_NAMES.astrato.title,
        arnVariable: PARTNER_SECRET_ENV.astrato,
        envPrefix: SSO_PARTNER_NAMES.astrato.envPrefix,
        defaultBaseUrl: ASTRATO_DEFAULT_BASE_URL,
        ttlMs: settings().PARTNER_SECRET_TTL_SECONDS * 1000,
      }),
      partnerHttpOptions(),
      systemClock,
    ),
);

export const acronisClient = /* @__PURE__ */ once(
  () =>
    new AcronisClient(
      partnerCredentialSource({
        partner: SSO_PARTNER_NAMES.acronis.title,
        arnVariable: PARTNER_SECRET_ENV.acronis,
        envPrefix: SSO_PARTNER_NAMES.acronis.envPrefix,
        ttlMs: settings().PARTNER_SECRET_TTL_SECONDS * 1000,
      }),
      partnerHttpOptions(),
      systemClock,
    ),
);

export const astratoHandoff = /* @__PURE__ */ once(
  () =>
    new AstratoHandoff(credentialStore(), astratoClient(), () => ({
      defaultGroupIds: settings().ASTRATO_DEFAULT_GROUP_IDS,
      applyPendingInvites: settings().ASTRATO_APPLY_PENDING_INVITES,
    })),
);

export const acronisHandoff = /* @__PURE__ */ once(
  () =>
    new AcronisHandoff(credentialStore(), acronisClient(), new DynamoPartnerClaimStore(documentClient(), tableName()), () => ({
      identifyBy: settings().ACRONIS_IDENTIFY_BY,
      loginField: settings().ACRONIS_LOGIN_FIELD,
      externalIdField: settings().ACRONIS_EXTERNAL_ID_FIELD,
      userIdField: settings().ACRONIS_USER_ID_FIELD,
      targetAllowList: settings().ACRONIS_TARGET_ALLOWLIST,
      urlStyle: settings().ACRONIS_URL_STYLE,
    })),
);
