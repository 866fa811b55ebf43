"""Issue #17's targets from compare.py --json-out files (standard library only).

    python3 bench/results/quality/summarize.py RUN.json [RUN.json ...]

Per run: mean ROC-AUC rank of Converge among the 6 models, wins against the best baseline (highest
mean AUC), tables within 1 point of the best baseline on both accuracy and AUC, the worst mean
log-loss gap to scaled logistic regression (positive = Converge worse), and the largest
train-process wall time of one fold for tables of <= 5,000 rows and above.
"""
import json, os, sys, statistics as st

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINES = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'bench', 'quality', 'baselines.json')
B = json.load(open(os.environ.get('BASELINES', BASELINES)))['tables']
for path in sys.argv[1:]:
    d = json.load(open(path))
    ranks=[]; wins=0; within=0; llgap=[]; small=0; large=0; per=[]
    for t, folds in d['results'].items():
        b = B[t]; models = b['models']
        if any(f.get('train_rc') or f.get('evaluate_rc') or 'roc_auc' not in f for f in folds): per.append((t,'FAIL')); continue
        m = {k: st.mean(f[k] for f in folds) for k in ('accuracy','roc_auc','log_loss')}
        best = max(models, key=lambda k: (models[k]['roc_auc']['mean'], -models[k]['log_loss']['mean']))
        bb = models[best]
        r = 1 + sum(1 for k in models if models[k]['roc_auc']['mean'] > m['roc_auc'])
        ranks.append(r)
        if m['roc_auc'] > bb['roc_auc']['mean']: wins += 1
        ok = (m['accuracy'] >= bb['accuracy']['mean'] - 0.01) and (m['roc_auc'] >= bb['roc_auc']['mean'] - 0.01)
        within += ok
        g = m['log_loss'] - models['lr']['log_loss']['mean']; llgap.append((g, t))
        w = max(f['train_wall_s'] for f in folds)
        if b['rows'] <= 5000: small = max(small, w)
        else: large = max(large, w)
        per.append((t, r, round(100*(m['roc_auc']-bb['roc_auc']['mean']),1), round(100*(m['accuracy']-bb['accuracy']['mean']),1), round(g,3), round(w,1), 'ok' if ok else '-'))
    print(f"{path}: opts={d['train_opts']!r} rank={st.mean(ranks):.2f} wins={wins}/8 within1={within}/8 worstLLvsLR={max(llgap)[0]:+.3f} ({max(llgap)[1]}) maxwall<=5k={small:.1f}s >5k={large:.1f}s")
    print('    (table, AUC rank, ΔAUC vs best baseline, Δacc vs best baseline, log loss − LogReg, max train-process s/fold, within 1 point)')
    for p in per: print('   ', p)
