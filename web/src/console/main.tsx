import { BrowserRouter } from 'react-router-dom';
import { mountApp } from '../shared/app-root';
import { ConsoleApp } from './console-app';

mountApp(() => (
  <BrowserRouter basename="/console">
    <ConsoleApp />
  </BrowserRouter>
));
