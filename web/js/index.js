// "/": the signed-in user's own page, or the login page.
import { apiGet } from './api.js';
import { landingPage } from './session.js';

const me = await apiGet('/api/me');
location.replace(landingPage(me.role));
