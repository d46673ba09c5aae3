import { startCart } from './client/cart';
import { startRecommendations } from './client/recommendations';
import { startSearch } from './client/search';
import { recordView } from './client/viewed';
import { startDrawer } from './profile/drawer';

// The shop's own script. Capture is the tag's job (loaded from the snippet); this wires up what a
// real storefront has (cart, search, GA4 ecommerce pushes), the recommendations, and the drawer.
document.documentElement.classList.add('js');
recordView();
startCart();
startDrawer();
void startSearch();
startRecommendations();
