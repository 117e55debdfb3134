import { useState, type ReactNode } from 'react';
import { useLockBodyScroll, useNavbarMobileSidebar } from '@docusaurus/theme-common/internal';
import NavbarMobileSidebarLayout from '@theme/Navbar/MobileSidebar/Layout';
import NavbarMobileSidebarHeader from '@theme/Navbar/MobileSidebar/Header';
import NavbarMobileSidebarPrimaryMenu from '@theme/Navbar/MobileSidebar/PrimaryMenu';
import NavbarMobileSidebarSecondaryMenu from '@theme/Navbar/MobileSidebar/SecondaryMenu';

/**
 * The phone's menu (the theme's Navbar/MobileSidebar), rendered the first time it opens rather than on every page.
 *
 * The theme renders the closed menu, with every chapter of the sidebar in it, as soon as the page knows it is on a
 * phone: right after hydration, in one task that could not be interrupted. On the first-app chapter under Lighthouse's
 * mobile preset that was the longest task after the main bundle's. Nothing of the menu shows until it opens (it is
 * off screen and inert), so it is rendered then, and kept from then on.
 */
export default function NavbarMobileSidebar(): ReactNode {
  const mobileSidebar = useNavbarMobileSidebar();
  const [opened, setOpened] = useState(false);
  if (mobileSidebar.shown && !opened) setOpened(true);
  useLockBodyScroll(mobileSidebar.shown);
  if (!mobileSidebar.shouldRender || !(opened || mobileSidebar.shown)) return null;
  return (
    <NavbarMobileSidebarLayout
      header={<NavbarMobileSidebarHeader />}
      primaryMenu={<NavbarMobileSidebarPrimaryMenu />}
      secondaryMenu={<NavbarMobileSidebarSecondaryMenu />}
    />
  );
}
