import { pgEnum } from 'drizzle-orm/pg-core';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { ACCOUNT_TYPES } from '@/lib/domain/accounts';
import { LINK_STATUSES } from '@/lib/domain/link-status';

export const permissionItemEnum = pgEnum('permission_item', PERMISSION_ITEM_IDS);
export const accountTypeEnum = pgEnum('account_type', ACCOUNT_TYPES);
export const linkStatusEnum = pgEnum('link_status', LINK_STATUSES);
export const providerStatusEnum = pgEnum('provider_status', ['active', 'suspended', 'terminated']);
export const actorTypeEnum = pgEnum('actor_type', ['customer', 'provider', 'bank', 'system']);
