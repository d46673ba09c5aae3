export { boughtTogether } from './bought-together.ts';
export type { ForYouInput, ShopHistoryItem } from './for-you.ts';
export { forYou, MAX_NEIGHBOUR_CANDIDATES, MAX_SHOP_HISTORY, shopHistoryOf } from './for-you.ts';
export { related } from './related.ts';
export type { SearchRankedItem, SearchReason } from './search-rank.ts';
export { MAX_SEARCH_IDS, MAX_SEARCH_SHARDS, SEARCH_REASONS, searchIds, searchRank } from './search-rank.ts';
export type { RecommendedItem, RecommendReason, RecommendSource } from './types.ts';
export { RECOMMEND_REASONS } from './types.ts';
