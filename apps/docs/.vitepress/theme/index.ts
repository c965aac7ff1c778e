import DefaultTheme from 'vitepress/theme';
import './runnable.css';

export default DefaultTheme;
