'use client';

/** One service page in the lab workspace, loaded on the client when its tab is first opened. */
import dynamic from 'next/dynamic';
import type { ComponentType } from 'react';
import type { ServicePageId, ServicePageProps } from './service-pages';
import styles from './tracking/Tracking.module.css';

const loading = () => <div className={styles.loadingPage}>Loading…</div>;

const pages: Record<ServicePageId, ComponentType<ServicePageProps>> = {
  experiments: dynamic(() => import('./tracking/ExperimentsPage').then((m) => m.ExperimentsPage), {
    ssr: false,
    loading,
  }),
  models: dynamic(() => import('./tracking/ModelsPage').then((m) => m.ModelsPage), { ssr: false, loading }),
  pipelines: dynamic(() => import('./pipelines/PipelinesPage').then((m) => m.PipelinesPage), {
    ssr: false,
    loading,
  }),
};

export function ServicePage({ pageId, ...props }: ServicePageProps & { pageId: ServicePageId }) {
  const Page = pages[pageId];
  return <Page {...props} />;
}
