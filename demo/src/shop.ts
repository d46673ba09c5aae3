import { startCart } from './client/cart.ts';
import { startReporting } from './client/holdout.ts';
import { startRecommendations } from './client/recommendations.ts';
import { startSearch } from './client/search.ts';
import { followSearch, startSurfaces } from './client/surfaces.ts';
import { recordView } from './client/viewed.ts';
import { startDrawer } from './profile/drawer.ts';

// The shop's own script. Capture is the tag's job (loaded from the snippet); this wires up what a
// real storefront has (cart, search, GA4 ecommerce pushes), the recommendations, and the drawer.
document.documentElement.classList.add('js');
recordView();
startCart();
startDrawer();
void startSearch().then(followSearch);
startRecommendations();
startSurfaces();
startReporting();
