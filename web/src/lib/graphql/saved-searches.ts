import { ERROR_FIELDS, type ApiErrorShape } from './common.ts';
import type { TicketFilter } from './tickets.ts';

export interface SavedSearch {
	id: string;
	name: string;
	/** A TicketFilter as JSON (kept as a plain TicketFilter so API clients can reuse it). */
	filter: TicketFilter;
	isDefault: boolean;
}

export const SAVED_SEARCHES = /* GraphQL */ `
	query SavedSearches { savedSearches { id name filter isDefault } }
`;
export interface SavedSearchesResult {
	savedSearches: SavedSearch[];
}

export const SAVE_SEARCH = /* GraphQL */ `
	mutation SaveSearch($input: SaveSearchInput!) {
		saveSearch(input: $input) {
			__typename
			... on SaveSearchSuccess { savedSearch { id name } }
			... on ValidationError { field }
			${ERROR_FIELDS}
		}
	}
`;
export interface SaveSearchVariables {
	input: { name: string; filter: TicketFilter; isDefault?: boolean };
}
export interface SaveSearchResult {
	saveSearch: { __typename: 'SaveSearchSuccess'; savedSearch: { id: string; name: string } } | (ApiErrorShape & { field?: string | null });
}

export const DELETE_SAVED_SEARCH = /* GraphQL */ `
	mutation DeleteSavedSearch($id: ID!) {
		deleteSavedSearch(id: $id) { __typename ${ERROR_FIELDS} }
	}
`;
export interface DeleteSavedSearchResult {
	deleteSavedSearch: { __typename: string; message?: string };
}
