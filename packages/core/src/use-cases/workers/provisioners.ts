import type { Caller } from '../../caller';
import { requiredScopes } from '../../domain/scopes';
import { iso, ms } from '../../domain/time';
import type { Provisioner } from '../../ports/worker-info-store';
import { provisionerId as provisionerIdSchema, type PageQuery } from '../../schemas/common';
import {
  updateProvisionerRequest,
  type ListProvisionersResponse,
  type ProvisionerResponse,
} from '../../schemas/worker';
import type { UseCaseContext } from '../context';
import { pageRequest } from '../shared/paging';
import { parseInput, parseParam } from '../shared/validate';
import {
  actionsFor,
  declareScopes,
  DECLARED_POOL_LIFETIME,
  givenFields,
  isLive,
  loadProvisioner,
  upsertProvisioner,
} from '../shared/worker-records';

/** A provisioner with all of its actions (every context). */
const provisionerView = (provisioner: Provisioner): ProvisionerResponse => ({
  provisionerId: provisioner.provisionerId,
  stability: provisioner.stability,
  description: provisioner.description,
  expires: provisioner.expires,
  lastDateActive: provisioner.lastDateActive,
  actions: actionsFor(provisioner),
});

/**
 * listProvisioners (GET /provisioners): live provisioners. A page may be short (expired records
 * are skipped) and still carry a continuationToken.
 */
export const listProvisioners = async (
  ctx: UseCaseContext,
  caller: Caller,
  query?: PageQuery,
): Promise<ListProvisionersResponse> => {
  const page = pageRequest(query);
  caller.authorize(requiredScopes.listProvisioners());
  const now = ctx.ports.clock.now();
  const listed = await ctx.ports.workerInfo.listProvisioners(page);
  return {
    provisioners: listed.items.filter((p) => isLive(p, now)).map(provisionerView),
    ...(listed.continuationToken !== undefined && { continuationToken: listed.continuationToken }),
  };
};

/** getProvisioner (GET /provisioners/<provisionerId>): 404 when absent or expired. */
export const getProvisioner = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
): Promise<ProvisionerResponse> => {
  parseParam(provisionerIdSchema, provisionerId, 'provisionerId');
  caller.authorize(requiredScopes.getProvisioner({ provisionerId }));
  return provisionerView(await loadProvisioner(ctx, provisionerId));
};

const PROVISIONER_PROPERTIES = Object.keys(updateProvisionerRequest.shape);

/**
 * declareProvisioner (PUT /provisioners/<provisionerId>): creates the provisioner with defaults
 * (expires in 5 days) or overwrites the properties given; `actions` replaces the whole list.
 */
export const declareProvisioner = async (
  ctx: UseCaseContext,
  caller: Caller,
  provisionerId: string,
  body: unknown,
): Promise<ProvisionerResponse> => {
  parseParam(provisionerIdSchema, provisionerId, 'provisionerId');
  const given = givenFields(parseInput(updateProvisionerRequest, body));
  caller.authorize(
    declareScopes(given, PROVISIONER_PROPERTIES, (b) => requiredScopes.declareProvisioner({ provisionerId, body: b })),
  );
  const { expires, ...rest } = given;
  const fields = { ...rest, ...(expires !== undefined && { expires: iso(ms(expires)) }) };
  const saved = await upsertProvisioner(ctx, provisionerId, (live, now) => {
    if (live && Object.keys(fields).length === 0) return live;
    return {
      ...(live ?? {
        provisionerId,
        expires: iso(now + DECLARED_POOL_LIFETIME),
        lastDateActive: iso(now),
        description: '',
        stability: 'experimental',
        actions: [],
      }),
      ...fields,
    };
  });
  return provisionerView(saved);
};
