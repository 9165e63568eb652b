import { BrowserRouter } from 'react-router-dom';
import { mountApp } from '../shared/app-root';
import { MemberApp } from './member-app';

mountApp(() => (
  <BrowserRouter>
    <MemberApp />
  </BrowserRouter>
));
